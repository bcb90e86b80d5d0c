package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// defaultMetaTTL is how long meta is cached when the reply has no Expire
// header.
const defaultMetaTTL = 5 * time.Minute

// maxMetaEntries bounds the meta cache of one service.
const maxMetaEntries = 10000

// Meta describes an action, as its service's meta call returns it.
type Meta struct {
	TemplateTag        string   `json:"template_tag"`
	OnlyLoggedUser     bool     `json:"only_logged_user"`
	OnlyMemberUser     bool     `json:"only_member_user"`
	OnlyAdminUser      bool     `json:"only_admin_user"`
	OnlyOrgaMemberUser bool     `json:"only_orga_member_user"`
	OnlyOrgaAdminUser  bool     `json:"only_orga_admin_user"`
	CacheTime          float64  `json:"cache_time"`
	CacheByUser        *bool    `json:"cache_by_user"`
	UserInfo           []string `json:"user_info"`
	Public             bool     `json:"public"`
	JSONOnly           bool     `json:"json_only"`
	XMLOnly            bool     `json:"xml_only"`
	NoTemplate         bool     `json:"no_template"`
	AddressInNetworks  []string `json:"address_in_networks"`
	networks           []netip.Prefix
}

// ParseMeta decodes a meta reply. It returns errNotFound for an empty
// object and an error naming the bad key for invalid JSON, wrong types or
// invalid networks.
func ParseMeta(body []byte) (*Meta, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return nil, fmt.Errorf("proxy: invalid meta JSON: %w", err)
	}
	if len(keys) == 0 {
		return nil, errNotFound
	}

	m := &Meta{}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("proxy: invalid meta: %w", err)
	}

	if m.CacheTime < 0 || math.IsNaN(m.CacheTime) || m.CacheTime > math.MaxInt32 {
		return nil, fmt.Errorf("proxy: invalid meta: cache_time %v out of range", m.CacheTime)
	}

	for _, cidr := range m.AddressInNetworks {
		prefix, err := netip.ParsePrefix(cidr)
		if err != nil {
			return nil, fmt.Errorf("proxy: invalid meta: address_in_networks: %w", err)
		}
		m.networks = append(m.networks, prefix.Masked())
	}

	return m, nil
}

// cacheTTL returns how long the rendered page may be cached.
func (m *Meta) cacheTTL() time.Duration {
	return time.Duration(m.CacheTime * float64(time.Second))
}

// restricted reports whether any only_*_user flag is set.
func (m *Meta) restricted() bool {
	return m.OnlyLoggedUser || m.OnlyMemberUser || m.OnlyAdminUser ||
		m.OnlyOrgaMemberUser || m.OnlyOrgaAdminUser
}

// cacheByUser reports whether cached pages are kept per user. An absent or
// null cache_by_user means per user when the action is restricted.
func (m *Meta) cacheByUser() bool {
	if m.CacheByUser == nil {
		return m.restricted()
	}
	return *m.CacheByUser
}

// metaTTL returns how long to keep meta given the reply's Expire header: 5
// minutes when missing or invalid, not at all when in the past.
func metaTTL(expire string, now time.Time) time.Duration {
	if expire == "" {
		return defaultMetaTTL
	}

	t, err := http.ParseTime(expire)
	if err != nil {
		return defaultMetaTTL
	}
	return t.Sub(now)
}

type metaEntry struct {
	meta    *Meta
	expires time.Time
}

// metaCache keeps a service's meta per action path until it expires.
type metaCache struct {
	mu      sync.Mutex
	entries map[string]metaEntry
}

func newMetaCache() *metaCache {
	return &metaCache{entries: map[string]metaEntry{}}
}

func (c *metaCache) get(path string, now time.Time) (*Meta, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	e, ok := c.entries[path]
	if !ok || now.After(e.expires) {
		return nil, false
	}
	return e.meta, true
}

// stale returns the last meta of path even when it expired, for serving
// cached pages while the service is down.
func (c *metaCache) stale(path string) (*Meta, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	e, ok := c.entries[path]
	return e.meta, ok
}

func (c *metaCache) put(path string, m *Meta, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if len(c.entries) >= maxMetaEntries {
		c.evictExpired(time.Now())
	}
	if len(c.entries) >= maxMetaEntries {
		clear(c.entries)
	}
	c.entries[path] = metaEntry{meta: m, expires: expires}
}

func (c *metaCache) evictExpired(now time.Time) {
	for k, e := range c.entries {
		if now.After(e.expires) {
			delete(c.entries, k)
		}
	}
}

// meta returns the meta of an action path, from the cache or the service.
func (s *upstream) meta(ctx context.Context, path string) (*Meta, error) {
	now := time.Now()
	if m, ok := s.metas.get(path, now); ok {
		return m, nil
	}
	if m, expires, ok := s.sharedMeta(ctx, path); ok {
		s.metas.put(path, m, expires)
		return m, nil
	}

	status, header, body, err := s.client.getBody(ctx, "meta/"+path, nil, callHeader(ctx))
	if err != nil {
		// A service that is down can't say how its pages are cached: the
		// last meta it sent lets the proxy serve them stale-if-error.
		if m, ok := s.metas.stale(path); ok && serviceFailure(err) {
			return m, nil
		}
		return nil, err
	}
	if status == http.StatusNotFound {
		return nil, errNotFound
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("%w: %s: meta call returned status %d", errServiceUnavailable, s.client.name, status)
	}

	m, err := ParseMeta(body)
	if err == errNotFound {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errInvalidReply, s.client.name, err)
	}

	ttl := metaTTL(header.Get("Expire"), now)
	s.metas.put(path, m, now.Add(ttl)) // kept after expiry as the stale fallback
	if ttl > 0 {
		s.putSharedMeta(ctx, path, body, now.Add(ttl))
	}
	return m, nil
}

// sharedMetaEntry is a meta reply in the shared cache, with its expiry so
// that every proxy keeps it exactly as long as the service asked.
type sharedMetaEntry struct {
	Body    json.RawMessage `json:"body"`
	Expires time.Time       `json:"expires"`
}

// sharedMeta returns the meta of path from the shared cache.
func (s *upstream) sharedMeta(ctx context.Context, path string) (*Meta, time.Time, bool) {
	data, ok, err := s.shared.Get(ctx, s.cachePrefix+"meta:"+path)
	if err != nil || !ok {
		return nil, time.Time{}, false
	}
	var e sharedMetaEntry
	if json.Unmarshal(data, &e) != nil || time.Now().After(e.Expires) {
		return nil, time.Time{}, false
	}
	m, err := ParseMeta(e.Body)
	if err != nil {
		return nil, time.Time{}, false
	}
	return m, e.Expires, true
}

func (s *upstream) putSharedMeta(ctx context.Context, path string, body []byte, expires time.Time) {
	data, err := json.Marshal(sharedMetaEntry{Body: body, Expires: expires})
	if err != nil {
		return
	}
	_ = s.shared.Set(ctx, s.cachePrefix+"meta:"+path, data, time.Until(expires))
}
