package main

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/plugit-go/plugit/service"
)

//go:embed templates
var templateFiles embed.FS

// cachedPageTime is the cache_time of the cached list page: longer than
// any run, so that every request after the first is a cache hit.
const cachedPageTime = time.Hour

// poll is one row of the list page.
type poll struct {
	id          int
	title       string
	description string
	author      string
	votes       int
}

func runBackend(ctx context.Context, args []string, logger *slog.Logger) error {
	flags := flag.NewFlagSet("backend", flag.ContinueOnError)
	ready := flags.String("ready", "", "file to write BACKEND_URL to once the service serves (required)")
	rows := flags.Int("rows", 20, "number of polls on the list page")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *ready == "" {
		return errors.New("benchserver: backend: -ready is required")
	}

	svc, err := newBackend(samplePolls(*rows), logger)
	if err != nil {
		return err
	}
	srv, err := listen("polls-like service", svc, logger)
	if err != nil {
		return err
	}

	if err := writeReady(*ready, [][2]string{{"BACKEND_URL", srv.url()}}); err != nil {
		return err
	}
	logger.Info("benchserver: backend serving", "url", srv.url(), "rows", *rows)
	return serveAll(ctx, logger, srv)
}

// newBackend returns the polls-like service: the list page at "/" with
// cache_time 0, the same page at "/cached/" with cache_time one hour, and
// "/upload/", which hashes the files of a multipart POST as it reads them.
func newBackend(polls []poll, logger *slog.Logger) (*service.Service, error) {
	templates, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, fmt.Errorf("benchserver: opening templates: %w", err)
	}

	list := func(*service.Request) (*service.Response, error) {
		return service.Data(map[string]any{"polls": pollRows(polls)}), nil
	}
	actions := []service.Action{
		{Route: "/", Template: "list.html", Handler: list},
		{Route: "/cached/", Template: "list.html", Handler: list, CacheTime: cachedPageTime,
			CacheByUser: service.SharedBetweenUsers()},
		{Route: "/upload/", Methods: []string{http.MethodPost}, Handler: hashUpload, JSONOnly: true},
	}
	return service.New(actions, service.WithTemplates(templates), service.WithLogger(logger))
}

// pollRows converts the polls to the action's JSON rows, as a service
// reading them from a database would on every call.
func pollRows(polls []poll) []map[string]any {
	rows := make([]map[string]any, 0, len(polls))
	for _, p := range polls {
		rows = append(rows, map[string]any{
			"id": p.id, "title": p.title, "description": p.description,
			"author": p.author, "votes": p.votes,
		})
	}
	return rows
}

// samplePolls returns n polls with texts of a realistic length.
func samplePolls(n int) []poll {
	polls := make([]poll, n)
	for i := range polls {
		polls[i] = poll{
			id:    i + 1,
			title: "Where should the team go for lunch on day " + strconv.Itoa(i+1) + "?",
			description: strings.Repeat("Pick the place you like best; the poll closes at noon. ", 2) +
				"Poll number " + strconv.Itoa(i+1) + ".",
			author: "user" + strconv.Itoa(i%7),
			votes:  (i * 37) % 11,
		}
	}
	return polls
}

// hashUpload reads a multipart body part by part, without holding it, and
// returns the SHA-256 of the concatenated file parts and their size.
func hashUpload(r *service.Request) (*service.Response, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return service.Status(http.StatusBadRequest), nil
	}

	h := sha256.New()
	var size int64
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("benchserver: reading upload: %w", err)
		}
		if part.FileName() == "" {
			continue
		}

		n, err := io.Copy(h, part)
		if err != nil {
			return nil, fmt.Errorf("benchserver: reading upload file %q: %w", part.FileName(), err)
		}
		size += n
		files++
	}

	return service.Data(map[string]any{
		"sha256": hex.EncodeToString(h.Sum(nil)), "bytes": size, "files": files,
	}), nil
}
