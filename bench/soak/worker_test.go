package soak

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/plugit-go/plugit/service"
)

func slogOption() service.Option {
	return service.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// tally counts statuses per service and keeps the last vote each user's
// worker saw accepted.
type tally struct {
	mu       sync.Mutex
	statuses map[string]map[int]int
	votes    map[string]string // "service/mode" → answer id
	failures []string
}

func newTally() *tally {
	return &tally{statuses: map[string]map[int]int{}, votes: map[string]string{}}
}

func (t *tally) count(service string, status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.statuses[service] == nil {
		t.statuses[service] = map[int]int{}
	}
	t.statuses[service][status]++
}

func (t *tally) fail(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.failures) < 20 {
		t.failures = append(t.failures, fmt.Sprintf(format, args...))
	}
}

// worker is one browser: a simulated user voting on one polls service and
// uploading to the fixture service.
type worker struct {
	base    string
	service string // polls service key
	mode    string // simulated user
	client  *http.Client
	tally   *tally
	rng     *rand.Rand
}

func newWorker(base, service, mode string, tl *tally, seed uint64) *worker {
	jar, _ := cookiejar.New(nil)
	return &worker{base: base, service: service, mode: mode, tally: tl, rng: rand.New(rand.NewPCG(seed, 7)),
		client: &http.Client{Jar: jar, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (w *worker) do(req *http.Request, service string) (int, string) {
	resp, err := w.client.Do(req)
	if err != nil {
		w.tally.count(service, 0)
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	w.tally.count(service, resp.StatusCode)
	return resp.StatusCode, string(body)
}

func (w *worker) get(path, service string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, w.base+path, nil)
	return w.do(req, service)
}

func (w *worker) csrfToken() string {
	u, _ := url.Parse(w.base)
	for _, c := range w.client.Jar.Cookies(u) {
		if c.Name == "csrftoken" {
			return c.Value
		}
	}
	return ""
}

var answerInput = regexp.MustCompile(`name="answer" id="answer-(\d+)"`)

// run loops until deadline: the poll list, a vote, and every third round
// an upload whose digest the fixture service must return.
func (w *worker) run(deadline time.Time) {
	w.get("/"+w.service+"/ebuio_setUser?mode="+w.mode, w.service)
	for round := 0; time.Now().Before(deadline); round++ {
		w.get("/"+w.service+"/", w.service)
		w.vote()
		if round%3 == 0 {
			w.upload()
		}
	}
}

func (w *worker) vote() {
	status, page := w.get("/"+w.service+"/show/1", w.service)
	if status != http.StatusOK {
		return
	}
	answers := answerInput.FindAllStringSubmatch(page, -1)
	if len(answers) == 0 {
		w.tally.fail("%s as %s: no answers on the poll page", w.service, w.mode)
		return
	}
	answer := answers[w.rng.IntN(len(answers))][1]
	form := url.Values{"csrfmiddlewaretoken": {w.csrfToken()}, "answer": {answer}}
	req, _ := http.NewRequest(http.MethodPost, w.base+"/"+w.service+"/vote/1", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, _ := w.do(req, w.service); status == http.StatusFound {
		w.tally.mu.Lock()
		w.tally.votes[w.service+"/"+w.mode] = answer
		w.tally.mu.Unlock()
	}
}

func (w *worker) upload() {
	data := make([]byte, 64<<10+w.rng.IntN(64<<10))
	for i := range data {
		data[i] = byte(w.rng.IntN(256))
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrfmiddlewaretoken", w.csrfToken())
	fw, _ := mw.CreateFormFile("f", "soak.bin")
	_, _ = fw.Write(data)
	_ = mw.Close()

	req, _ := http.NewRequest(http.MethodPost, w.base+"/files/upload_digest", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, page := w.do(req, "files")
	want := fmt.Sprintf("%d %x", len(data), sha256.Sum256(data))
	if status == http.StatusOK && page != want {
		w.tally.fail("upload digest %q, want %q", page, want)
	}
}
