package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/plugit-go/plugit/internal/cache"
)

// defaultCacheBytes is the budget of the default in-memory cache shared by
// pages, meta and templates.
const defaultCacheBytes = 64 << 20

// staleWindow is how long after its cache time a page may still be served
// when the service fails (stale-if-error).
const staleWindow = 10 * time.Minute

// cachedPage is a rendered page as the page cache keeps it. The content
// holds the CSRF placeholder, never a user's token.
type cachedPage struct {
	Content    string      `json:"content"`
	Menu       string      `json:"menu,omitempty"`
	Title      string      `json:"title,omitempty"`
	Header     http.Header `json:"header,omitempty"` // ETag and CORS headers to send again
	NoTemplate bool        `json:"no_template,omitempty"`
	FreshUntil time.Time   `json:"fresh_until"`
}

// maxLocalPageBytes bounds the decoded pages each proxy keeps in front of
// the shared cache.
const maxLocalPageBytes = 32 << 20

// pageCache keeps rendered pages in a cache.Cache, past their cache time
// for staleWindow so that they can stand in for a failing service. Fresh
// pages are also kept decoded in process, so that a hit costs no decoding;
// a page never changes under its key, so the copies can't disagree.
type pageCache struct {
	store  cache.Cache
	logger *slog.Logger

	mu         sync.Mutex
	local      map[string]*cachedPage
	localBytes int
}

// get returns the page under key and whether it is still fresh.
func (c *pageCache) get(ctx context.Context, key string) (page *cachedPage, fresh bool, found bool) {
	if page := c.getLocal(key); page != nil {
		return page, true, true
	}

	data, ok, err := c.store.Get(ctx, "page:"+key)
	if err != nil {
		c.logger.Warn("proxy: reading the page cache failed, rendering the page", "error", err)
		return nil, false, false
	}
	if !ok {
		return nil, false, false
	}
	page = &cachedPage{}
	if err := json.Unmarshal(data, page); err != nil {
		return nil, false, false
	}
	fresh = time.Now().Before(page.FreshUntil)
	if fresh {
		c.putLocal(key, page)
	}
	return page, fresh, true
}

// put stores a page, fresh for ttl.
func (c *pageCache) put(ctx context.Context, key string, page *cachedPage, ttl time.Duration) error {
	page.FreshUntil = time.Now().Add(ttl)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // pages are HTML: escaping it would only cost
	if err := enc.Encode(page); err != nil {
		return err
	}
	c.putLocal(key, page)
	return c.store.Set(ctx, "page:"+key, buf.Bytes(), ttl+staleWindow)
}

func (c *pageCache) getLocal(key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	page := c.local[key]
	if page == nil {
		return nil
	}
	if !time.Now().Before(page.FreshUntil) {
		c.localBytes -= page.size()
		delete(c.local, key)
		return nil
	}
	return page
}

// size estimates the memory a decoded page takes.
func (p *cachedPage) size() int {
	return len(p.Content) + len(p.Menu) + len(p.Title) + 512
}

func (c *pageCache) putLocal(key string, page *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.local == nil {
		c.local = map[string]*cachedPage{}
	}
	if old := c.local[key]; old != nil {
		c.localBytes -= old.size()
	}
	// Go's map iteration order is random, so this drops arbitrary entries;
	// the shared cache still has them.
	for k, p := range c.local {
		if c.localBytes+page.size() <= maxLocalPageBytes {
			break
		}
		c.localBytes -= p.size()
		delete(c.local, k)
	}
	if page.size() > maxLocalPageBytes {
		return
	}
	c.local[key] = page
	c.localBytes += page.size()
}

// pageCacheKey returns the cache key of a page: the service and its
// deployment, the full path with query string and the template tag, plus
// the user when the page is cached per user, plus the organisation in
// organisation mode.
func pageCacheKey(r *http.Request, meta *Meta, st *requestState) string {
	key := st.service.key + "\x00" + st.upstream.name + "\x00" + r.URL.RequestURI() + "\x00" + meta.TemplateTag
	if meta.cacheByUser() {
		key += "\x00u" + strconv.FormatInt(st.user.PK, 10)
	}
	if st.orga != nil {
		key += "\x00o" + strconv.FormatInt(st.orga.PK, 10)
	}
	return key
}
