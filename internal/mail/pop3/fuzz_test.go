package pop3

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParseStatus checks that any status line gives text, an *Error or
// ErrProtocol, and that +OK text survives unchanged.
func FuzzParseStatus(f *testing.F) {
	f.Add("+OK 2 messages")
	f.Add("-ERR no such message")
	f.Add("+OKAY")
	f.Fuzz(func(t *testing.T, line string) {
		text, err := parseStatus("CMD", line)
		var serverErr *Error
		switch {
		case err == nil:
			if line != "+OK" && line != "+OK "+text {
				t.Errorf("parseStatus(%q) accepted it with text %q", line, text)
			}
		case errors.As(err, &serverErr):
			if !strings.HasPrefix(line, "-ERR") {
				t.Errorf("parseStatus(%q) returned -ERR for a line without it", line)
			}
		case !errors.Is(err, ErrProtocol):
			t.Errorf("parseStatus(%q) error %v is neither *Error nor ErrProtocol", line, err)
		}
	})
}

// FuzzParseListing checks that LIST, UIDL and STAT lines either parse into
// valid values or give ErrProtocol.
func FuzzParseListing(f *testing.F) {
	f.Add("1 120")
	f.Add("2 QhdPYR:00WBw1Ph7x7")
	f.Add("0 -1")
	f.Fuzz(func(t *testing.T, line string) {
		if info, err := parseScanListing(line); err == nil && (info.Number < 1 || info.Size < 0) {
			t.Errorf("parseScanListing(%q) = %+v", line, info)
		} else if err != nil && !errors.Is(err, ErrProtocol) {
			t.Errorf("parseScanListing(%q) error %v is not ErrProtocol", line, err)
		}

		if n, uid, err := parseUniqueIDListing(line); err == nil && (n < 1 || uid == "" || len(uid) > 70) {
			t.Errorf("parseUniqueIDListing(%q) = %d, %q", line, n, uid)
		} else if err != nil && !errors.Is(err, ErrProtocol) {
			t.Errorf("parseUniqueIDListing(%q) error %v is not ErrProtocol", line, err)
		}

		if count, size, err := parseStat(line); err == nil && (count < 0 || size < 0) {
			t.Errorf("parseStat(%q) = %d, %d", line, count, size)
		}
	})
}

// FuzzReadDotBody checks that a message dot-stuffed as a server sends it
// reads back unchanged, and that arbitrary replies never panic.
func FuzzReadDotBody(f *testing.F) {
	f.Add([]byte("Subject: x\r\n\r\n.hidden\r\n..\r\nend\r\n"))
	f.Add([]byte(".\r\n"))
	f.Add([]byte("no line ending"))
	f.Fuzz(func(t *testing.T, message []byte) {
		r := bufio.NewReaderSize(bytes.NewReader(message), 64)
		_, _ = readDotBody(r, 1<<20)

		want := withCRLF(message)
		r = bufio.NewReaderSize(bytes.NewReader(append(stuff(want), ".\r\n"...)), 64)
		got, err := readDotBody(r, 1<<20)
		if err != nil {
			t.Fatalf("readDotBody of the stuffed message: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("readDotBody = %q; want %q", got, want)
		}
	})
}

// withCRLF returns message with CRLF line endings only and a final CRLF,
// as RFC 1939 sends it.
func withCRLF(message []byte) []byte {
	s := strings.ReplaceAll(string(message), "\r", "")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// stuff adds a "." before every line that starts with ".".
func stuff(message []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.Lines(message) {
		if bytes.HasPrefix(line, []byte(".")) {
			out.WriteByte('.')
		}
		out.Write(line)
	}
	return out.Bytes()
}
