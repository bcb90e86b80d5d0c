package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// demo is a running "plugit demo" process.
type demo struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string // the proxy's URL of the service, ending in /plugIt/
	client *http.Client
	jar    *cookiejar.Jar
}

// startDemo builds the plugit binary and runs "plugit demo" on free ports.
func startDemo(t *testing.T) *demo {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "plugit")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build failed: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "demo", "--listen", "127.0.0.1:0", "--db", filepath.Join(dir, "polls.db"))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting plugit demo: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	base := readDemoURL(t, stdout)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Jar:     jar,
		Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return &demo{t: t, cmd: cmd, base: base, client: client, jar: jar}
}

func readDemoURL(t *testing.T, stdout io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if u, ok := strings.CutPrefix(scanner.Text(), "PlugIt demo: open "); ok {
				found <- u
			}
		}
	}()

	select {
	case u := <-found:
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("plugit demo printed no URL within 60 s")
		return ""
	}
}

func (d *demo) get(path string) (*http.Response, string) {
	d.t.Helper()
	return d.do(http.MethodGet, path, nil)
}

func (d *demo) post(path string, form url.Values) (*http.Response, string) {
	d.t.Helper()
	return d.do(http.MethodPost, path, form)
}

func (d *demo) do(method, path string, form url.Values) (*http.Response, string) {
	d.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, d.base+path, body)
	if err != nil {
		d.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}

	resp, err := d.client.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		d.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, string(data)
}

// switchUser selects a simulated user through the proxy's switch endpoint.
func (d *demo) switchUser(mode string) {
	d.t.Helper()
	resp, _ := d.get("ebuio_setUser?mode=" + mode)
	if resp.StatusCode != http.StatusOK {
		d.t.Fatalf("switching to user %s: status %d", mode, resp.StatusCode)
	}
}

var csrfInput = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([^"]+)"`)

// csrfToken returns the token of the first form on the page at path.
func (d *demo) csrfToken(path string) string {
	d.t.Helper()
	_, body := d.get(path)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		d.t.Fatalf("no CSRF token in the form of %s:\n%s", path, body)
	}
	return m[1]
}

// cookieToken returns the CSRF token of the csrftoken cookie.
func (d *demo) cookieToken() string {
	d.t.Helper()
	u, _ := url.Parse(d.base)
	for _, c := range d.jar.Cookies(u) {
		if c.Name == "csrftoken" {
			return c.Value
		}
	}
	d.t.Fatal("no csrftoken cookie")
	return ""
}

func expectStatus(t *testing.T, resp *http.Response, want int, what string) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d", what, resp.StatusCode, want)
	}
}

func expectContains(t *testing.T, body, want, what string) {
	t.Helper()
	if !strings.Contains(body, want) {
		t.Fatalf("%s: page does not contain %q:\n%s", what, want, body)
	}
}

func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the plugit binary; skipped with -short")
	}
	d := startDemo(t)

	root := strings.TrimSuffix(d.base, "plugIt/")
	resp, err := d.client.Get(root)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	expectStatus(t, resp, http.StatusFound, "GET /")
	if loc := resp.Header.Get("Location"); loc != "/plugIt/" {
		t.Fatalf("GET / redirects to %q, want /plugIt/", loc)
	}

	resp, body := d.get("")
	expectStatus(t, resp, http.StatusOK, "anonymous home")
	expectContains(t, body, "Which PlugIt feature do you use most?", "anonymous home")
	expectContains(t, body, "/static/bootstrap/bootstrap.min.css", "layout")

	t.Run("anonymous cannot vote", func(t *testing.T) {
		token := d.cookieToken()
		resp, body := d.post("vote/1", url.Values{"csrfmiddlewaretoken": {token}, "answer": {"1"}})
		expectStatus(t, resp, http.StatusForbidden, "anonymous vote")
		expectContains(t, body, "only_logged_user", "403 page")
	})

	t.Run("POST without CSRF token is refused", func(t *testing.T) {
		d.switchUser("log")
		resp, body := d.post("vote/1", url.Values{"answer": {"1"}})
		expectStatus(t, resp, http.StatusForbidden, "vote without token")
		expectContains(t, body, "security token", "CSRF 403 page")
		_, show := d.get("show/1")
		expectContains(t, show, "0 votes", "poll after refused vote")
	})

	var pollPath string
	t.Run("member creates a poll", func(t *testing.T) {
		d.switchUser("mem")
		token := d.csrfToken("create/")

		resp, body := d.post("create/", url.Values{
			"csrfmiddlewaretoken": {token}, "title": {""}, "answer": {"Kept answer", ""},
		})
		expectStatus(t, resp, http.StatusOK, "invalid poll form")
		expectContains(t, body, "The title is required.", "invalid poll form")
		expectContains(t, body, `value="Kept answer"`, "invalid poll form keeps the values typed")

		resp, _ = d.post("create/", url.Values{
			"csrfmiddlewaretoken": {token}, "title": {"Tea or coffee?"},
			"description": {"Morning drink"}, "answer": {"Tea", "", "Coffee"},
		})
		expectStatus(t, resp, http.StatusFound, "create poll")
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "/plugIt/show/") {
			t.Fatalf("create redirects to %q, want /plugIt/show/N", loc)
		}
		pollPath = strings.TrimPrefix(loc, "/plugIt/")

		_, show := d.get(pollPath)
		expectContains(t, show, "Tea or coffee?", "new poll page")
		expectContains(t, show, "Coffee", "new poll page")
	})
	if pollPath == "" {
		t.Fatal("no poll was created")
	}

	t.Run("logged user votes and moves the vote", func(t *testing.T) {
		d.switchUser("log")
		show := d.pollPage(pollPath)
		tea, coffee := show.answerID("Tea"), show.answerID("Coffee")

		resp, _ := d.post(strings.Replace(pollPath, "show/", "vote/", 1),
			url.Values{"csrfmiddlewaretoken": {d.csrfToken(pollPath)}, "answer": {tea}})
		expectStatus(t, resp, http.StatusFound, "vote")
		if loc := resp.Header.Get("Location"); loc != "/plugIt/"+pollPath {
			t.Fatalf("vote redirects to %q, want /plugIt/%s", loc, pollPath)
		}
		show = d.pollPage(pollPath)
		show.expectVotes(tea, "1")
		expectContains(t, show.body, "your vote", "poll page marks the user's vote")

		d.post(strings.Replace(pollPath, "show/", "vote/", 1),
			url.Values{"csrfmiddlewaretoken": {d.csrfToken(pollPath)}, "answer": {coffee}})
		show = d.pollPage(pollPath)
		show.expectVotes(tea, "0")
		show.expectVotes(coffee, "1")
	})

	t.Run("admin sees who voted", func(t *testing.T) {
		d.switchUser("adm")
		show := d.pollPage(pollPath)
		expectContains(t, show.body, "Voters: Logged", "admin view")
	})

	t.Run("non-admin does not see voters", func(t *testing.T) {
		d.switchUser("mem")
		show := d.pollPage(pollPath)
		if strings.Contains(show.body, "Voters:") {
			t.Fatalf("member sees the voters:\n%s", show.body)
		}
	})

	t.Run("polls.json lists the counts", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, d.base+"polls.json", nil)
		req.Header.Set("Accept", "application/json")
		resp, err := d.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("polls.json content type %q, want application/json", ct)
		}
		var data struct {
			Polls []struct {
				Title string `json:"title"`
				Total int    `json:"total"`
			} `json:"polls"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&data); err != nil {
			t.Fatalf("polls.json is not JSON: %v", err)
		}
		if len(data.Polls) != 2 || data.Polls[0].Title != "Tea or coffee?" || data.Polls[0].Total != 1 {
			t.Fatalf("polls.json = %+v, want the new poll first with 1 vote, then the sample", data.Polls)
		}
	})

	t.Run("SIGTERM stops the demo", func(t *testing.T) {
		if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- d.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("plugit demo exited with %v after SIGTERM, want status 0", err)
			}
		case <-time.After(40 * time.Second):
			t.Fatal("plugit demo still running 40 s after SIGTERM")
		}
	})
}

// pollPage is a poll's page as a browser sees it.
type pollPage struct {
	t    *testing.T
	body string
}

func (d *demo) pollPage(path string) pollPage {
	d.t.Helper()
	resp, body := d.get(path)
	expectStatus(d.t, resp, http.StatusOK, path)
	return pollPage{t: d.t, body: body}
}

// answerID returns the id of the answer labelled text in the vote form.
func (p pollPage) answerID(text string) string {
	p.t.Helper()
	re := regexp.MustCompile(`value="(\d+)"[^>]*>\s*<label[^>]*>` + regexp.QuoteMeta(text) + `</label>`)
	m := re.FindStringSubmatch(p.body)
	if m == nil {
		p.t.Fatalf("no answer %q in the vote form:\n%s", text, p.body)
	}
	return m[1]
}

// expectVotes checks the vote count shown for an answer's result bar.
func (p pollPage) expectVotes(answerID, votes string) {
	p.t.Helper()
	want := `data-answer="` + answerID + `" data-votes="` + votes + `"`
	if !strings.Contains(p.body, want) {
		p.t.Fatalf("answer %s does not show %s votes:\n%s", answerID, votes, p.body)
	}
}
