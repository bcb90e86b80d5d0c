package proxy

import (
	"container/list"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// defaultPageCacheBytes is the page cache's memory budget.
const defaultPageCacheBytes = 64 << 20

// cachedPage is a rendered page as the page cache keeps it. The content
// holds the CSRF placeholder, never a user's token.
type cachedPage struct {
	content    string
	menu       string
	title      string
	header     http.Header // ETag and CORS headers to send again
	noTemplate bool
}

func (c *cachedPage) size() int {
	n := len(c.content) + len(c.menu) + len(c.title) + 256
	for k, v := range c.header {
		n += len(k)
		for _, s := range v {
			n += len(s)
		}
	}
	return n
}

// pageCache keeps rendered pages within a byte budget, evicting the least
// recently used.
type pageCache struct {
	mu      sync.Mutex
	budget  int
	used    int
	entries map[string]*list.Element
	order   *list.List
}

type pageEntry struct {
	key     string
	page    *cachedPage
	size    int
	expires time.Time
}

func newPageCache(budget int) *pageCache {
	return &pageCache{budget: budget, entries: map[string]*list.Element{}, order: list.New()}
}

func (c *pageCache) get(key string) (*cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*pageEntry)
	if time.Now().After(e.expires) {
		c.remove(el)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.page, true
}

func (c *pageCache) put(key string, page *cachedPage, ttl time.Duration) {
	size := page.size() + len(key)
	if size > c.budget {
		return
	}

	c.mu.Lock()
	defer c.mu.Unlock()

	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	for c.used+size > c.budget {
		c.remove(c.order.Back())
	}
	e := &pageEntry{key: key, page: page, size: size, expires: time.Now().Add(ttl)}
	c.entries[key] = c.order.PushFront(e)
	c.used += size
}

func (c *pageCache) remove(el *list.Element) {
	e := el.Value.(*pageEntry)
	c.order.Remove(el)
	delete(c.entries, e.key)
	c.used -= e.size
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
