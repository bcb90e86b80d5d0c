package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// prepareTimeout bounds each request the front sends to itself while it
// prepares.
const prepareTimeout = 30 * time.Second

// prepareFront starts a browser session on the PlugIt proxy, opens every
// page once so that meta, templates and cached pages are in the caches,
// gives the plain handler the bytes of the cached page, and returns the
// ready file's variables.
func prepareFront(ctx context.Context, servers []*server, paths pagePaths, plain *plainPage) ([][2]string, error) {
	proxyURL, reverseURL := servers[0].url(), servers[1].url()
	client := &http.Client{Timeout: prepareTimeout}

	resp, _, err := fetch(ctx, client, proxyURL+paths.miss[0], "")
	if err != nil {
		return nil, err
	}
	cookie, csrf, err := sessionCookies(resp)
	if err != nil {
		return nil, err
	}

	for _, path := range append(append([]string{}, paths.miss...), paths.hit...) {
		if _, _, err := fetch(ctx, client, proxyURL+path, cookie); err != nil {
			return nil, err
		}
	}

	resp, body, err := fetch(ctx, client, proxyURL+paths.hit[0], cookie)
	if err != nil {
		return nil, err
	}
	plain.set(resp.Header, body)

	if _, _, err := fetch(ctx, client, reverseURL+"/action/", ""); err != nil {
		return nil, err
	}

	return [][2]string{
		{"PROXY_URL", proxyURL}, {"REVERSE_URL", reverseURL},
		{"PLAIN_URL", servers[2].url()}, {"PPROF_URL", servers[3].url()},
		{"COOKIE", cookie}, {"CSRF_TOKEN", csrf},
		{"MISS_PATHS", joinPaths(paths.miss)}, {"HIT_PATHS", joinPaths(paths.hit)},
		{"PAGE_BYTES", strconv.Itoa(len(body))},
	}, nil
}

// fetch sends a GET with the cookie header and returns the response and
// its body; any status but 200 is an error.
func fetch(ctx context.Context, client *http.Client, url, cookie string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("benchserver: building request for %s: %w", url, err)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}

	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("benchserver: fetching %s: %w", url, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("benchserver: reading %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("benchserver: %s returned status %d: %.200s", url, resp.StatusCode, body)
	}
	return resp, body, nil
}

// sessionCookies returns the Cookie header of the session that resp
// started, and its CSRF token.
func sessionCookies(resp *http.Response) (string, string, error) {
	var pairs []string
	csrf := ""
	for _, c := range resp.Cookies() {
		pairs = append(pairs, c.Name+"="+c.Value)
		if c.Name == "csrftoken" {
			csrf = c.Value
		}
	}
	if len(pairs) == 0 || csrf == "" {
		return "", "", fmt.Errorf("benchserver: the proxy's first page set no session and CSRF cookies")
	}
	return strings.Join(pairs, "; "), csrf, nil
}
