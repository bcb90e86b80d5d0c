package sessiontest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/plugit-go/plugit/internal/session"
)

// testConcurrent has goroutines save, load and delete their own sessions
// and one shared session at the same time. Run it with -race.
func testConcurrent(t *testing.T, st session.Store) {
	const workers, rounds = 8, 30

	shared := fullSession()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				if err := useConcurrently(t.Context(), st, shared.ID, w, i); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	got := mustLoad(t, st, shared.ID)
	if got.OrgaPK < 0 || got.OrgaPK >= workers {
		t.Fatalf("shared session has OrgaPK %d, want a worker number", got.OrgaPK)
	}
}

func useConcurrently(ctx context.Context, st session.Store, sharedID string, worker, round int) error {
	own := fullSession()
	own.SetValue("polls", "round", fmt.Sprint(round))
	if err := st.Save(ctx, own, longTTL); err != nil {
		return fmt.Errorf("Save: %w", err)
	}

	shared := &session.Session{ID: sharedID, CSRFToken: "shared", OrgaPK: int64(worker)}
	if err := st.Save(ctx, shared, longTTL); err != nil {
		return fmt.Errorf("Save(shared): %w", err)
	}

	got, err := st.Load(ctx, own.ID)
	if err != nil {
		return fmt.Errorf("Load: %w", err)
	}
	if !reflect.DeepEqual(got, own) {
		return fmt.Errorf("Load = %+v, want %+v", got, own)
	}

	if err := st.Delete(ctx, own.ID); err != nil {
		return fmt.Errorf("Delete: %w", err)
	}

	if _, err := st.Load(ctx, own.ID); !errors.Is(err, session.ErrNotFound) {
		return fmt.Errorf("Load after Delete: error %v, want ErrNotFound", err)
	}

	return nil
}
