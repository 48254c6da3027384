# syntax=docker/dockerfile:1
# locognito: a static binary on distroless.
#   docker build -t locognito .
#   docker run --rm -p 9229:9229 locognito

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: a static binary that runs on distroless/static.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/locognito ./cmd/locognito
# The demo resource server (README, docker-compose.yml) rides along; the
# entrypoint stays locognito.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/resource-server ./cmd/resource-server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/locognito /usr/local/bin/locognito
COPY --from=build /out/resource-server /usr/local/bin/resource-server
# Inside a container the listener must not be loopback-only; publish the
# port and set LOCOGNITO_PUBLIC_URL to the URL clients use.
ENV LOCOGNITO_ADDR=0.0.0.0:9229
EXPOSE 9229
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/locognito"]
