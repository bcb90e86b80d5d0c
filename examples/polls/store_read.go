package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Polls returns every poll with its answers and vote counts, newest first.
func (s *Store) Polls(ctx context.Context) ([]Poll, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, title, description, author, created_at FROM polls ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("polls: listing polls: %w", err)
	}
	defer rows.Close()

	var polls []Poll
	for rows.Next() {
		p, err := scanPoll(rows)
		if err != nil {
			return nil, err
		}
		polls = append(polls, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("polls: listing polls: %w", err)
	}

	for i := range polls {
		if polls[i].Answers, err = s.answers(ctx, polls[i].ID, false); err != nil {
			return nil, err
		}
	}
	return polls, nil
}

// Poll returns one poll with its answers; withVoters also lists who voted
// for each answer.
func (s *Store) Poll(ctx context.Context, id int64, withVoters bool) (Poll, error) {
	row := s.db.QueryRowContext(ctx,
		"SELECT id, title, description, author, created_at FROM polls WHERE id = ?", id)
	p, err := scanPoll(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Poll{}, fmt.Errorf("%w: poll %d", ErrNotFound, id)
	}
	if err != nil {
		return Poll{}, err
	}

	p.Answers, err = s.answers(ctx, id, withVoters)
	return p, err
}

type scanner interface {
	Scan(dest ...any) error
}

func scanPoll(row scanner) (Poll, error) {
	var p Poll
	var created string
	if err := row.Scan(&p.ID, &p.Title, &p.Description, &p.Author, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Poll{}, err
		}
		return Poll{}, fmt.Errorf("polls: reading poll: %w", err)
	}
	p.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return p, nil
}

func (s *Store) answers(ctx context.Context, pollID int64, withVoters bool) ([]Answer, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT a.id, a.text, count(v.user_pk), coalesce(group_concat(v.username, char(31)), '')
		FROM answers a LEFT JOIN votes v ON v.answer_id = a.id
		WHERE a.poll_id = ? GROUP BY a.id ORDER BY a.position`, pollID)
	if err != nil {
		return nil, fmt.Errorf("polls: listing answers of poll %d: %w", pollID, err)
	}
	defer rows.Close()

	var answers []Answer
	for rows.Next() {
		var a Answer
		var voters string
		if err := rows.Scan(&a.ID, &a.Text, &a.Votes, &voters); err != nil {
			return nil, fmt.Errorf("polls: reading answer: %w", err)
		}
		if withVoters && voters != "" {
			a.Voters = splitVoters(voters)
		}
		answers = append(answers, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("polls: listing answers of poll %d: %w", pollID, err)
	}
	return answers, nil
}

// splitVoters splits the usernames that group_concat joined with the unit
// separator, sorted.
func splitVoters(joined string) []string {
	voters := strings.Split(joined, "\x1f")
	sort.Strings(voters)
	return voters
}
