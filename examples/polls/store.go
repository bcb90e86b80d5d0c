package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a poll or answer does not exist.
var ErrNotFound = errors.New("polls: not found")

const schema = `
CREATE TABLE IF NOT EXISTS polls (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	author      TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
	id       INTEGER PRIMARY KEY,
	poll_id  INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
	text     TEXT NOT NULL,
	position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
	poll_id   INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
	user_pk   INTEGER NOT NULL,
	username  TEXT NOT NULL,
	answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
	PRIMARY KEY (poll_id, user_pk)
);
CREATE INDEX IF NOT EXISTS answers_poll ON answers(poll_id, position);
`

// Store keeps polls, answers and votes in a SQLite database.
type Store struct {
	db *sql.DB
}

// Poll is a question with its answers.
type Poll struct {
	ID          int64
	Title       string
	Description string
	Author      string
	CreatedAt   time.Time
	Answers     []Answer
}

// Answer is one possible answer of a poll, with its votes.
type Answer struct {
	ID     int64
	Text   string
	Votes  int
	Voters []string
}

// TotalVotes returns the number of votes on the poll.
func (p Poll) TotalVotes() int {
	total := 0
	for _, a := range p.Answers {
		total += a.Votes
	}
	return total
}

// OpenStore opens the SQLite database at path, creating its folder, the
// file and the tables on first use, in WAL mode. A new database gets one sample poll.
func OpenStore(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("polls: creating the folder of %s: %w", path, err)
	}

	query := url.Values{}
	query.Add("_pragma", "journal_mode(WAL)")
	query.Add("_pragma", "busy_timeout(5000)")
	query.Add("_pragma", "foreign_keys(1)")
	query.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+query.Encode())
	if err != nil {
		return nil, fmt.Errorf("polls: opening database %s: %w", path, err)
	}

	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("polls: creating tables in %s: %w", path, err)
	}

	s := &Store{db: db}
	if err := s.seed(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}

func (s *Store) seed(ctx context.Context) error {
	var count int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM polls").Scan(&count); err != nil {
		return fmt.Errorf("polls: counting polls: %w", err)
	}
	if count > 0 {
		return nil
	}

	_, err := s.CreatePoll(ctx, "Which PlugIt feature do you use most?",
		"A sample poll, created with the database.", "PlugIt",
		[]string{"Shared user accounts", "The common layout", "Page caching"})
	return err
}

// CreatePoll stores a poll with its answers and returns its id.
func (s *Store) CreatePoll(ctx context.Context, title, description, author string, answers []string) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("polls: starting transaction: %w", err)
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx,
		"INSERT INTO polls (title, description, author, created_at) VALUES (?, ?, ?, ?)",
		title, description, author, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return 0, fmt.Errorf("polls: inserting poll: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("polls: reading poll id: %w", err)
	}

	for i, text := range answers {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO answers (poll_id, text, position) VALUES (?, ?, ?)", id, text, i); err != nil {
			return 0, fmt.Errorf("polls: inserting answer: %w", err)
		}
	}

	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("polls: committing poll: %w", err)
	}
	return id, nil
}

// Vote records the user's vote for an answer of a poll, replacing the
// user's earlier vote on that poll.
func (s *Store) Vote(ctx context.Context, pollID, answerID, userPK int64, username string) error {
	var owner int64
	err := s.db.QueryRowContext(ctx, "SELECT poll_id FROM answers WHERE id = ?", answerID).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != pollID) {
		return fmt.Errorf("%w: answer %d of poll %d", ErrNotFound, answerID, pollID)
	}
	if err != nil {
		return fmt.Errorf("polls: reading answer %d: %w", answerID, err)
	}

	_, err = s.db.ExecContext(ctx, `
		INSERT INTO votes (poll_id, user_pk, username, answer_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (poll_id, user_pk) DO UPDATE SET answer_id = excluded.answer_id, username = excluded.username`,
		pollID, userPK, username, answerID)
	if err != nil {
		return fmt.Errorf("polls: storing vote: %w", err)
	}
	return nil
}

// UserVote returns the answer the user voted for on a poll, 0 for none.
func (s *Store) UserVote(ctx context.Context, pollID, userPK int64) (int64, error) {
	var answerID int64
	err := s.db.QueryRowContext(ctx,
		"SELECT answer_id FROM votes WHERE poll_id = ? AND user_pk = ?", pollID, userPK).Scan(&answerID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("polls: reading vote: %w", err)
	}
	return answerID, nil
}
