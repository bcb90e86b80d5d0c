package cache_test

import (
	"testing"

	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/cache/cachetest"
)

func TestMemoryConformance(t *testing.T) {
	cachetest.Run(t, func(t *testing.T) cache.Cache {
		m, err := cache.NewMemory(1 << 20)
		if err != nil {
			t.Fatalf("NewMemory: %v", err)
		}
		return m
	})
}
