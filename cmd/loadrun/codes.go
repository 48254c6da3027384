package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// csrfField is the hosted UI's double-submit CSRF field in the login form.
var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// browser is a cookie-keeping client that does not follow redirects, so
// each hop of the hosted UI is checked and the code read from the redirect
// to the callback, which is never called.
type browser struct {
	base *url.URL
	http *http.Client
}

func (e *env) newBrowser() (*browser, error) {
	base, err := url.Parse(e.Base)
	if err != nil {
		return nil, err
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := *e.HTTP // same loopback-only transport and redirect policy
	c.Jar = jar
	return &browser{base: base, http: &c}, nil
}

// page is a fetched answer.
type page struct {
	status   int
	location string
	body     string
}

func (b *browser) do(ctx context.Context, method, uri string, form url.Values) (page, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, uri, body)
	if err != nil {
		return page{}, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return page{}, err
	}
	return page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw)}, nil
}

// resolve makes a Location absolute against the target.
func (b *browser) resolve(loc string) (string, error) {
	u, err := url.Parse(loc)
	if err != nil {
		return "", fmt.Errorf("bad Location %q: %w", loc, err)
	}
	return b.base.ResolveReference(u).String(), nil
}

// redirect GETs uri and returns where it redirects to.
func (b *browser) redirect(ctx context.Context, uri string) (string, error) {
	p, err := b.do(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return "", err
	}
	if p.status != http.StatusFound && p.status != http.StatusSeeOther {
		return "", fmt.Errorf("GET %s: want a redirect, got HTTP %d", pathOf(uri), p.status)
	}
	return p.location, nil
}

// mintCodes signs the run's user in through the hosted UI for client id
// (authorize, login page, POST /login with the CSRF field and cookie, back
// to authorize) and then asks /oauth2/authorize for codes on the signed-in
// session until it has n. Each code is redeemable once.
func (e *env) mintCodes(ctx context.Context, clientID string, n, concurrency int) ([]string, error) {
	b, err := e.newBrowser()
	if err != nil {
		return nil, err
	}
	authorize := e.Base + "/oauth2/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {codeCallbackURL},
		"scope": {"openid email"}, "state": {"loadrun"},
	}.Encode()

	first, err := b.signIn(ctx, authorize, e.Password)
	if err != nil {
		return nil, fmt.Errorf("hosted UI sign-in: %w", err)
	}
	codes := make([]string, n)
	codes[0] = first
	var (
		mu      sync.Mutex
		nextIdx = 1
		errs    []error
		wg      sync.WaitGroup
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if nextIdx >= n || len(errs) > 0 {
			return -1
		}
		nextIdx++
		return nextIdx - 1
	}
	for range concurrency {
		wg.Go(func() {
			for i := take(); i >= 0; i = take() {
				loc, err := b.redirect(ctx, authorize)
				if err == nil {
					codes[i], err = codeFrom(loc)
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, fmt.Errorf("authorize on the signed-in session: %w", errors.Join(errs...))
	}
	return codes, nil
}

// signIn walks the hosted UI from authorize to the callback redirect and
// returns its code.
func (b *browser) signIn(ctx context.Context, authorize, password string) (string, error) {
	loc, err := b.redirect(ctx, authorize)
	if err != nil {
		return "", err
	}
	login, err := b.resolve(loc)
	if err != nil {
		return "", err
	}
	form, err := b.do(ctx, http.MethodGet, login, nil)
	if err != nil {
		return "", err
	}
	m := csrfField.FindStringSubmatch(form.body)
	if form.status != http.StatusOK || m == nil {
		return "", fmt.Errorf("GET %s: want the login form with a _csrf field, got HTTP %d", pathOf(login), form.status)
	}
	posted, err := b.do(ctx, http.MethodPost, login, url.Values{
		"_csrf": {m[1]}, "username": {loadUser}, "password": {password},
	})
	if err != nil {
		return "", err
	}
	if posted.status != http.StatusFound && posted.status != http.StatusSeeOther {
		return "", fmt.Errorf("POST %s: want a redirect, got HTTP %d", pathOf(login), posted.status)
	}
	// Back to /oauth2/authorize, which now has a session and redirects to
	// the callback with a code.
	for range 3 {
		if strings.HasPrefix(posted.location, codeCallbackURL) {
			return codeFrom(posted.location)
		}
		next, err := b.resolve(posted.location)
		if err != nil {
			return "", err
		}
		if posted.location, err = b.redirect(ctx, next); err != nil {
			return "", err
		}
	}
	return "", errors.New("no redirect to the callback after signing in")
}

// codeFrom reads the code of a redirect to the callback.
func codeFrom(loc string) (string, error) {
	if !strings.HasPrefix(loc, codeCallbackURL+"?") {
		return "", fmt.Errorf("want a redirect to the callback, got one to %s", pathOf(loc))
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if e := q.Get("error"); e != "" {
		return "", fmt.Errorf("callback with error %q", e)
	}
	if q.Get("code") == "" || q.Get("state") != "loadrun" {
		return "", errors.New("callback without code or with another state")
	}
	return q.Get("code"), nil
}

// pathOf is uri without its query, for messages: queries carry codes.
func pathOf(uri string) string {
	p, _, _ := strings.Cut(uri, "?")
	return p
}
