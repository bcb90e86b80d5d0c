package proxy

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
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

// pageCache keeps rendered pages in a cache.Cache, past their cache time
// for staleWindow so that they can stand in for a failing service.
type pageCache struct {
	store  cache.Cache
	logger *slog.Logger
}

// get returns the page under key and whether it is still fresh.
func (c *pageCache) get(ctx context.Context, key string) (page *cachedPage, fresh bool, found bool) {
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
	return page, time.Now().Before(page.FreshUntil), true
}

// put stores a page, fresh for ttl.
func (c *pageCache) put(ctx context.Context, key string, page *cachedPage, ttl time.Duration) error {
	page.FreshUntil = time.Now().Add(ttl)
	data, err := json.Marshal(page)
	if err != nil {
		return err
	}
	return c.store.Set(ctx, "page:"+key, data, ttl+staleWindow)
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
