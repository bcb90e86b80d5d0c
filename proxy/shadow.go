package proxy

import (
	"hash/fnv"
	"slices"
	"strconv"
)

// ShadowConfig routes selected users of a service to another deployment,
// such as a new version or a developer's instance.
type ShadowConfig struct {
	// Name identifies the deployment in logs and metrics. Required.
	Name string
	// URL is the deployment's base URL. Required.
	URL string
	// Users are usernames always routed to this deployment.
	Users []string
	// Orgas are organisation codops whose current members are routed to
	// this deployment.
	Orgas []string
	// Percent routes this share of the other users, 0 to 100. A user
	// stays on the same deployment while the percentage is unchanged.
	Percent int
}

// shadow is a configured shadow deployment.
type shadow struct {
	ShadowConfig
	upstream *upstream
}

func (p *Proxy) newShadows(sc ServiceConfig) ([]*shadow, error) {
	shadows := make([]*shadow, 0, len(sc.Shadows))
	for _, cfg := range sc.Shadows {
		if cfg.Name == "" || cfg.Name == "primary" || cfg.Percent < 0 || cfg.Percent > 100 {
			return nil, errConfigf("service %s: shadow %q needs a name other than primary and a percent from 0 to 100",
				sc.Key, cfg.Name)
		}
		up, err := p.newUpstream(sc, cfg.Name, cfg.URL)
		if err != nil {
			return nil, err
		}
		shadows = append(shadows, &shadow{ShadowConfig: cfg, upstream: up})
	}
	return shadows, nil
}

// pickUpstream returns the deployment that serves the request's user: the
// first shadow that selects the user, else the primary. The percentage is
// computed from a hash of the user (or the browser session for anonymous
// users), so the choice is sticky.
func (s *serviceState) pickUpstream(st *requestState) *upstream {
	if len(s.shadows) == 0 {
		return s.primary
	}

	identity := "session:" + st.session.ID
	if !st.user.Anonymous() {
		identity = "user:" + strconv.FormatInt(st.user.PK, 10)
	}
	for _, sh := range s.shadows {
		if sh.selects(st, s.key, identity) {
			return sh.upstream
		}
	}
	return s.primary
}

func (sh *shadow) selects(st *requestState, serviceKey, identity string) bool {
	if !st.user.Anonymous() && slices.Contains(sh.Users, st.user.Username) {
		return true
	}
	if st.orga != nil && slices.Contains(sh.Orgas, st.orga.Codops) {
		return true
	}
	if sh.Percent == 0 {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(serviceKey + "\x00" + sh.Name + "\x00" + identity))
	return int(h.Sum32()%100) < sh.Percent
}
