package pop3

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxLineLength is the maximum length in bytes of a status line or of a
// line of a listing, CRLF included. RFC 1939 allows 512.
const MaxLineLength = 4096

// ErrProtocol is returned for a reply that does not follow RFC 1939.
var ErrProtocol = errors.New("pop3: invalid reply")

// ErrTooLarge is returned by [Client.Retr] for a message larger than the
// limit it was given. The connection stays usable.
var ErrTooLarge = errors.New("pop3: message too large")

// Error is a -ERR reply of the server.
type Error struct {
	// Command is the command that failed, without its arguments.
	Command string
	// Text is the text after -ERR.
	Text string
}

func (e *Error) Error() string {
	return fmt.Sprintf("pop3: %s: server replied -ERR %s", e.Command, e.Text)
}

// parseStatus returns the text of a status line such as "+OK 2 messages",
// or an *Error for "-ERR ...". The line has no CRLF.
func parseStatus(command, line string) (string, error) {
	switch {
	case line == "+OK":
		return "", nil
	case strings.HasPrefix(line, "+OK "):
		return line[len("+OK "):], nil
	case line == "-ERR":
		return "", &Error{Command: command}
	case strings.HasPrefix(line, "-ERR "):
		return "", &Error{Command: command, Text: line[len("-ERR "):]}
	}
	return "", fmt.Errorf("%w: %s: status line %q starts with neither +OK nor -ERR", ErrProtocol, command, truncate(line))
}

// parseStat returns the message count and total size in the text of a
// STAT reply, "nn mm" and maybe more.
func parseStat(text string) (count int, size int64, err error) {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return 0, 0, fmt.Errorf("%w: STAT reply %q lacks a count and a size", ErrProtocol, truncate(text))
	}

	count, err = strconv.Atoi(fields[0])
	if err != nil || count < 0 {
		return 0, 0, fmt.Errorf("%w: STAT reply %q has an invalid count", ErrProtocol, truncate(text))
	}
	size, err = strconv.ParseInt(fields[1], 10, 64)
	if err != nil || size < 0 {
		return 0, 0, fmt.Errorf("%w: STAT reply %q has an invalid size", ErrProtocol, truncate(text))
	}
	return count, size, nil
}

// parseScanListing returns the message number and size in a LIST line,
// "n size".
func parseScanListing(line string) (MessageInfo, error) {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return MessageInfo{}, fmt.Errorf("%w: LIST line %q lacks a number and a size", ErrProtocol, truncate(line))
	}

	number, err := parseNumber(fields[0])
	if err != nil {
		return MessageInfo{}, fmt.Errorf("%w: LIST line %q: %v", ErrProtocol, truncate(line), err)
	}
	size, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil || size < 0 {
		return MessageInfo{}, fmt.Errorf("%w: LIST line %q has an invalid size", ErrProtocol, truncate(line))
	}
	return MessageInfo{Number: number, Size: size}, nil
}

// parseUniqueIDListing returns the message number and unique id in a UIDL
// line, "n uid". RFC 1939 allows 1 to 70 characters from 0x21 to 0x7E.
func parseUniqueIDListing(line string) (number int, uid string, err error) {
	fields := strings.Fields(line)
	if len(fields) != 2 {
		return 0, "", fmt.Errorf("%w: UIDL line %q is not a number and a unique id", ErrProtocol, truncate(line))
	}

	number, err = parseNumber(fields[0])
	if err != nil {
		return 0, "", fmt.Errorf("%w: UIDL line %q: %v", ErrProtocol, truncate(line), err)
	}
	uid = fields[1]
	if len(uid) > 70 || strings.IndexFunc(uid, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return 0, "", fmt.Errorf("%w: UIDL line %q has an invalid unique id", ErrProtocol, truncate(line))
	}
	return number, uid, nil
}

func parseNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid message number %q", truncate(s))
	}
	return n, nil
}

// readLine reads one line of at most MaxLineLength bytes and returns it
// without its line ending.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", fmt.Errorf("%w: line longer than %d bytes", ErrProtocol, r.Size())
	}
	if err != nil {
		return "", err
	}

	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return string(line), nil
}

// readDotLines reads the lines of a multi-line reply up to the line ".",
// removing the dot that stuffs lines starting with ".".
func readDotLines(r *bufio.Reader) ([]string, error) {
	var lines []string
	for {
		line, err := readLine(r)
		if err != nil {
			return nil, err
		}
		if line == "." {
			return lines, nil
		}
		lines = append(lines, strings.TrimPrefix(line, "."))
	}
}

// readDotBody reads a multi-line reply that holds a message, keeping line
// endings and removing dot-stuffing. Beyond maxBytes, it reads the rest
// of the reply and returns ErrTooLarge, so that the connection stays in
// step with the server.
func readDotBody(r *bufio.Reader, maxBytes int64) ([]byte, error) {
	var body bytes.Buffer
	tooLarge := false
	lineStart := true
	for {
		chunk, err := r.ReadSlice('\n')
		complete := err == nil
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}

		if lineStart && complete && isTerminator(chunk) {
			break
		}
		if lineStart && len(chunk) > 0 && chunk[0] == '.' {
			chunk = chunk[1:]
		}
		lineStart = complete

		if tooLarge || int64(body.Len()+len(chunk)) > maxBytes {
			tooLarge = true
			continue
		}
		body.Write(chunk)
	}

	if tooLarge {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBytes)
	}
	return body.Bytes(), nil
}

func isTerminator(line []byte) bool {
	return string(line) == ".\r\n" || string(line) == ".\n"
}

// truncate shortens s for an error message.
func truncate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
