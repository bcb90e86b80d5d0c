// Package polls is the example PlugIt service: a voting application whose
// users create polls and vote, served through a PlugIt proxy.
package polls

import (
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plugit-go/plugit/service"
)

//go:embed templates
var templateFiles embed.FS

//go:embed media
var mediaFiles embed.FS

// maxAnswers bounds the answers of one poll.
const maxAnswers = 20

// maxTextLength bounds a poll's title, description and answers, in bytes.
const maxTextLength = 2000

// New returns the polls service on store. opts are passed to service.New,
// after the service's templates and media.
func New(store *Store, opts ...service.Option) (*service.Service, error) {
	templates, _ := fs.Sub(templateFiles, "templates")
	media, _ := fs.Sub(mediaFiles, "media")
	h := &handlers{store: store}
	base := []service.Option{service.WithTemplates(templates), service.WithMedia(media)}
	return service.New(h.actions(), append(base, opts...)...)
}

type handlers struct {
	store *Store
}

func (h *handlers) actions() []service.Action {
	return []service.Action{
		{Route: "/", Template: "home.html", Handler: h.list,
			CacheTime: 5 * time.Second, CacheByUser: service.ByUser()},
		{Route: "/show/{id:int}", Template: "show.html", Handler: h.show,
			UserInfo: []string{"pk", "ebuio_admin"}},
		{Route: "/vote/{id:int}", Methods: []string{http.MethodPost}, Handler: h.vote,
			OnlyLoggedUser: true, UserInfo: []string{"pk", "username"}},
		{Route: "/create/", Template: "create.html", Handler: h.create,
			Methods: []string{http.MethodGet, http.MethodPost}, OnlyMemberUser: true,
			UserInfo: []string{"username"}},
		{Route: "/polls.json", Handler: h.json, JSONOnly: true},
	}
}

func (h *handlers) list(r *service.Request) (*service.Response, error) {
	polls, err := h.store.Polls(r.Context())
	if err != nil {
		return nil, err
	}

	items := make([]map[string]any, 0, len(polls))
	for _, p := range polls {
		items = append(items, map[string]any{
			"id": p.ID, "title": p.Title, "description": p.Description,
			"author": p.Author, "votes": p.TotalVotes(),
		})
	}
	return service.Data(map[string]any{"polls": items}), nil
}

func (h *handlers) show(r *service.Request) (*service.Response, error) {
	isAdmin := r.UserFlag("ebuio_admin")
	poll, err := h.store.Poll(r.Context(), r.IntParam("id"), isAdmin)
	if errors.Is(err, ErrNotFound) {
		return service.NotFound(), nil
	}
	if err != nil {
		return nil, err
	}

	var myVote int64
	if pk, ok := r.UserPK(); ok {
		if myVote, err = h.store.UserVote(r.Context(), poll.ID, pk); err != nil {
			return nil, err
		}
	}

	total := poll.TotalVotes()
	answers := make([]map[string]any, 0, len(poll.Answers))
	for _, a := range poll.Answers {
		item := map[string]any{
			"id": a.ID, "text": a.Text, "votes": a.Votes,
			"percent": percent(a.Votes, total), "mine": a.ID == myVote,
		}
		if isAdmin {
			item["voters"] = a.Voters
		}
		answers = append(answers, item)
	}

	return service.Data(map[string]any{
		"poll": map[string]any{
			"id": poll.ID, "title": poll.Title, "description": poll.Description,
			"author": poll.Author, "created_at": poll.CreatedAt.Format("2006-01-02 15:04"),
			"total": total, "answers": answers,
		},
		"voted":      myVote != 0,
		"show_votes": isAdmin,
	}), nil
}

func percent(part, total int) int {
	if total == 0 {
		return 0
	}
	return part * 100 / total
}

func (h *handlers) vote(r *service.Request) (*service.Response, error) {
	pollID := r.IntParam("id")
	pk, ok := r.UserPK()
	if !ok {
		return service.Status(http.StatusForbidden), nil
	}

	answerID, err := strconv.ParseInt(r.PostFormValue("answer"), 10, 64)
	if err != nil {
		return service.Redirect("show/" + strconv.FormatInt(pollID, 10)), nil
	}

	username, _ := r.UserInfo("username")
	err = h.store.Vote(r.Context(), pollID, answerID, pk, username)
	if errors.Is(err, ErrNotFound) {
		return service.NotFound(), nil
	}
	if err != nil {
		return nil, err
	}
	return service.Redirect("show/" + strconv.FormatInt(pollID, 10)), nil
}

func (h *handlers) create(r *service.Request) (*service.Response, error) {
	if r.Method != http.MethodPost {
		return service.Data(map[string]any{"answers": []string{"", "", ""}}), nil
	}

	title := strings.TrimSpace(r.PostFormValue("title"))
	description := strings.TrimSpace(r.PostFormValue("description"))
	typed := r.PostForm["answer"]
	answers := nonEmpty(typed)
	errs := validatePoll(title, description, answers)
	if len(errs) > 0 {
		for len(typed) < 3 {
			typed = append(typed, "")
		}
		return service.Data(map[string]any{
			"errors": errs, "title": title, "description": description, "answers": typed,
		}), nil
	}

	author, _ := r.UserInfo("username")
	id, err := h.store.CreatePoll(r.Context(), title, description, author, answers)
	if err != nil {
		return nil, err
	}
	slog.Info("polls: poll created", "poll_id", id, "author", author)
	return service.Redirect("show/" + strconv.FormatInt(id, 10)), nil
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// validatePoll returns the messages for what is wrong in a new poll.
func validatePoll(title, description string, answers []string) []string {
	var errs []string
	if title == "" {
		errs = append(errs, "The title is required.")
	}
	if len(answers) == 0 {
		errs = append(errs, "At least one answer is required.")
	}
	if len(answers) > maxAnswers {
		errs = append(errs, "A poll has at most "+strconv.Itoa(maxAnswers)+" answers.")
	}
	if len(title) > maxTextLength || len(description) > maxTextLength ||
		slices.ContainsFunc(answers, func(a string) bool { return len(a) > maxTextLength }) {
		errs = append(errs, "Texts are limited to "+strconv.Itoa(maxTextLength)+" characters.")
	}
	return errs
}

func (h *handlers) json(r *service.Request) (*service.Response, error) {
	polls, err := h.store.Polls(r.Context())
	if err != nil {
		return nil, err
	}

	items := make([]map[string]any, 0, len(polls))
	for _, p := range polls {
		answers := make([]map[string]any, 0, len(p.Answers))
		for _, a := range p.Answers {
			answers = append(answers, map[string]any{"id": a.ID, "text": a.Text, "votes": a.Votes})
		}
		items = append(items, map[string]any{
			"id": p.ID, "title": p.Title, "description": p.Description,
			"total": p.TotalVotes(), "answers": answers,
		})
	}
	return service.Data(map[string]any{"polls": items}), nil
}
