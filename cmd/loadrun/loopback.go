package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// A load run must never leave the machine: the target, the database and
// every connection the HTTP client opens are checked to be loopback.

// checkLoopbackURL accepts an http URL whose host is a loopback address or
// localhost (resolving to loopback addresses only).
func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return errors.New("give only scheme, host and port, e.g. http://127.0.0.1:9229")
	}
	return checkLoopbackHost(u.Hostname())
}

// checkLoopbackDatabase accepts a postgres:// URL whose hosts (the URL's
// and any host= parameter) are loopback addresses, localhost or Unix
// socket directories.
func checkLoopbackDatabase(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return errors.New("must be a postgres:// URL")
	}
	hosts := strings.Split(u.Host, ",")
	hosts = append(hosts, u.Query()["host"]...)
	for _, h := range hosts {
		if h == "" || strings.HasPrefix(h, "/") {
			continue // default host or a Unix socket: local either way
		}
		if host, _, err := net.SplitHostPort(h); err == nil {
			h = host
		}
		if err := checkLoopbackHost(strings.Trim(h, "[]")); err != nil {
			return err
		}
	}
	return nil
}

// checkLoopbackHost accepts loopback IP literals, and localhost when every
// address it resolves to is loopback.
func checkLoopbackHost(host string) error {
	if host == "" {
		return errors.New("no host")
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("host %s is not a loopback address; loadrun only targets 127.0.0.1/::1", host)
		}
		return nil
	}
	if !strings.EqualFold(host, "localhost") {
		return fmt.Errorf("host %q is not loopback; loadrun only targets 127.0.0.1, ::1 or localhost", host)
	}
	_, err := loopbackAddrs(context.Background(), host)
	return err
}

// loopbackAddrs resolves host and fails unless every address is loopback.
func loopbackAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("refusing non-loopback address %s", host)
		}
		return []netip.Addr{ip}, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("resolve %s: no addresses", host)
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return nil, fmt.Errorf("%s resolves to non-loopback %s", host, a)
		}
	}
	return addrs, nil
}

// newHTTPClient is the client of every request of the run: no proxy, no
// redirects followed (the code flow reads each Location itself), enough idle
// connections for the concurrency, and a dialer that refuses any address
// that is not loopback.
func newHTTPClient(concurrency int) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			addrs, err := loopbackAddrs(ctx, host)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort(addrs[0].Unmap().String(), port))
		},
		MaxIdleConns:        2 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
