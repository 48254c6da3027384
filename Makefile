# Everyday commands. `make test` is the README's test command; CI runs
# `bash .ci/run`, which adds Postgres, gofmt, vet and short fuzz runs.

FUZZTIME ?= 20s

.PHONY: run test lint fuzz bench up down

## run: start locognito on 127.0.0.1:9229 (memory) with the example seed
run:
	go run ./cmd/locognito --config testdata/seed.yaml

## test: the whole suite with the race detector (set TEST_DATABASE_URL for Postgres)
test:
	go test -race -count=1 ./...

## lint: gofmt and go vet
lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	go vet ./...

## fuzz: every fuzz target for FUZZTIME (default 20s)
fuzz:
	@for file in $$(git grep -l '^func Fuzz' -- '*_test.go'); do \
		pkg="./$$(dirname $$file)"; \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "--- $$target ($$pkg)"; \
			go test -run='^$$' -fuzz="^$$target\$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

## bench: benchmarks (no timing asserts anywhere; read the numbers)
bench:
	go test -run='^$$' -bench=. -benchmem ./...

## up: locognito + Postgres 15 in Docker, seeded from testdata/seed.yaml
up:
	docker compose up --build

## down: stop the compose stack (add -v to drop the database volume)
down:
	docker compose down
