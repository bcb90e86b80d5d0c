package proxy

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// serviceSet is the hosted services at one point in time. Reload swaps
// the whole set, so a request keeps the services it started with.
type serviceSet struct {
	byKey map[string]*serviceState
	order []*serviceState
}

// buildServices returns the service set for configs, reusing the state
// (caches, client) of services whose configuration did not change.
func (p *Proxy) buildServices(configs []ServiceConfig, old *serviceSet) (*serviceSet, error) {
	set := &serviceSet{byKey: map[string]*serviceState{}}
	for _, sc := range configs {
		if sc.Key == "" || strings.ContainsAny(sc.Key, "/?#") {
			return nil, fmt.Errorf("%w: service key %q must be a non-empty path segment", errConfig, sc.Key)
		}
		if set.byKey[sc.Key] != nil {
			return nil, fmt.Errorf("%w: service key %q is used twice", errConfig, sc.Key)
		}
		svc, err := p.serviceFor(sc, old)
		if err != nil {
			return nil, err
		}
		set.byKey[sc.Key] = svc
		set.order = append(set.order, svc)
	}
	return set, nil
}

func (p *Proxy) serviceFor(sc ServiceConfig, old *serviceSet) (*serviceState, error) {
	if old != nil {
		if prev := old.byKey[sc.Key]; prev != nil && reflect.DeepEqual(prev.ServiceConfig, p.normalized(sc)) {
			return prev, nil
		}
	}
	return p.newServiceState(sc, "/"+sc.Key+"/")
}

// normalized returns sc with its defaults filled in, as a serviceState
// keeps it: the name, the URL's final "/" and the time-out.
func (p *Proxy) normalized(sc ServiceConfig) ServiceConfig {
	if sc.Name == "" {
		sc.Name = sc.Key
	}
	if !strings.HasSuffix(sc.URL, "/") {
		sc.URL += "/"
	}
	if sc.Timeout <= 0 {
		sc.Timeout = p.cfg.Timeout
	}
	return sc
}

// Reload replaces the hosted services. Requests in flight finish with the
// services they started with; unchanged services keep their caches.
func (p *Proxy) Reload(configs []ServiceConfig) error {
	if !p.cfg.Hosted {
		return fmt.Errorf("%w: only a hosted proxy reloads its services", errConfig)
	}

	set, err := p.buildServices(configs, p.services.Load())
	if err != nil {
		return err
	}
	p.services.Store(set)
	p.logger.Info("proxy: services loaded", "services", len(set.order))
	return nil
}

// handleHosted routes a request to the service named by the path's first
// segment.
func (p *Proxy) handleHosted(w http.ResponseWriter, r *http.Request) {
	key, rest, hasSlash := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	svc := p.services.Load().byKey[key]
	if svc == nil {
		p.fail(w, r, errNotFound)
		return
	}

	if !hasSlash && rest == "" {
		http.Redirect(w, r, "/"+key+"/", http.StatusMovedPermanently)
		return
	}

	if svc.HTTPSRequired && !p.isHTTPS(r) {
		target := "https://" + r.Host + r.URL.RequestURI()
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}

	p.serviceHandler(svc).ServeHTTP(w, r)
}

// isHTTPS reports whether the browser used HTTPS: a TLS connection, or
// X-Forwarded-Proto from a trusted load balancer.
func (p *Proxy) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return p.cfg.TrustForwardedFor && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
