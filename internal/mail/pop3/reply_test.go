package pop3

import (
	"bufio"
	"errors"
	"strings"
	"testing"
)

func TestParseStatus(t *testing.T) {
	tests := []struct {
		line     string
		wantText string
		wantErr  string // "" for +OK, "ERR" for an *Error, "protocol" for ErrProtocol
	}{
		{"+OK", "", ""},
		{"+OK 2 messages", "2 messages", ""},
		{"-ERR", "", "ERR"},
		{"-ERR no such message", "no such message", "ERR"},
		{"+OKAY", "", "protocol"},
		{"OK", "", "protocol"},
		{"", "", "protocol"},
		{"+ok lowercase", "", "protocol"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			text, err := parseStatus("CMD", tt.line)
			var serverErr *Error
			switch tt.wantErr {
			case "":
				if err != nil || text != tt.wantText {
					t.Errorf("parseStatus(%q) = %q, %v; want %q", tt.line, text, err, tt.wantText)
				}
			case "ERR":
				if !errors.As(err, &serverErr) || serverErr.Text != tt.wantText || serverErr.Command != "CMD" {
					t.Errorf("parseStatus(%q) error = %v; want -ERR %q for CMD", tt.line, err, tt.wantText)
				}
			case "protocol":
				if !errors.Is(err, ErrProtocol) {
					t.Errorf("parseStatus(%q) error = %v; want ErrProtocol", tt.line, err)
				}
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		text      string
		wantCount int
		wantSize  int64
		wantErr   bool
	}{
		{"2 320", 2, 320, false},
		{"0 0", 0, 0, false},
		{"3 100 extra words", 3, 100, false},
		{"2", 0, 0, true},
		{"-1 5", 0, 0, true},
		{"a 5", 0, 0, true},
		{"2 -5", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			count, size, err := parseStat(tt.text)
			if tt.wantErr {
				if !errors.Is(err, ErrProtocol) {
					t.Errorf("parseStat(%q) error = %v; want ErrProtocol", tt.text, err)
				}
				return
			}
			if err != nil || count != tt.wantCount || size != tt.wantSize {
				t.Errorf("parseStat(%q) = %d, %d, %v; want %d, %d", tt.text, count, size, err, tt.wantCount, tt.wantSize)
			}
		})
	}
}

func TestParseListings(t *testing.T) {
	if info, err := parseScanListing("3 1200"); err != nil || info != (MessageInfo{Number: 3, Size: 1200}) {
		t.Errorf("parseScanListing(\"3 1200\") = %+v, %v", info, err)
	}
	for _, line := range []string{"", "3", "0 10", "x 10", "3 -1", "3 big"} {
		if _, err := parseScanListing(line); !errors.Is(err, ErrProtocol) {
			t.Errorf("parseScanListing(%q) error = %v; want ErrProtocol", line, err)
		}
	}

	if n, uid, err := parseUniqueIDListing("2 QhdPYR:00WBw1Ph7x7"); err != nil || n != 2 || uid != "QhdPYR:00WBw1Ph7x7" {
		t.Errorf("parseUniqueIDListing = %d, %q, %v", n, uid, err)
	}
	invalid := []string{"", "2", "2 a b", "0 a", strings.Repeat("x", 71), "2 " + strings.Repeat("x", 71), "2 caf\u00e9"}
	for _, line := range invalid {
		if _, _, err := parseUniqueIDListing(line); !errors.Is(err, ErrProtocol) {
			t.Errorf("parseUniqueIDListing(%q) error = %v; want ErrProtocol", line, err)
		}
	}
}

func TestReadDotBody(t *testing.T) {
	longLine := strings.Repeat("a", 3*MaxLineLength) + "\r\n"
	longDotLine := strings.Repeat("b", MaxLineLength-1) + ".\r\n"
	tests := []struct {
		name  string
		reply string
		want  string
	}{
		{"empty", ".\r\n", ""},
		{"plain", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"},
		{"stuffed", "..x\r\n...\r\n.\r\n", ".x\r\n..\r\n"},
		{"LF endings", "a\n..b\n.\n", "a\n.b\n"},
		{"dot inside line", "a.b\r\n.\r\n", "a.b\r\n"},
		{"long line", "." + longLine + ".\r\n", longLine},
		{"long line ending in dot", longDotLine + ".\r\n", longDotLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bufio.NewReaderSize(strings.NewReader(tt.reply+"+OK next\r\n"), MaxLineLength)
			got, err := readDotBody(r, 1<<20)
			if err != nil {
				t.Fatalf("readDotBody: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("readDotBody = %q; want %q", got, tt.want)
			}
			if next, _ := readLine(r); next != "+OK next" {
				t.Errorf("line after the body = %q; want the next reply", next)
			}
		})
	}
}

func TestReadDotBodyTooLarge(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("0123456789\r\n0123456789\r\n.\r\n+OK next\r\n"), MaxLineLength)
	if _, err := readDotBody(r, 15); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("readDotBody over the limit: error %v; want ErrTooLarge", err)
	}
	if next, _ := readLine(r); next != "+OK next" {
		t.Errorf("line after the too large body = %q; want the next reply", next)
	}
}

func TestReadDotBodyUnterminated(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("a\r\nb\r\n"), MaxLineLength)
	if _, err := readDotBody(r, 1<<20); err == nil {
		t.Fatal("readDotBody of a reply cut before \".\": no error")
	}
}

func TestReadLineTooLong(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader(strings.Repeat("x", MaxLineLength+10)+"\r\n"), MaxLineLength)
	if _, err := readLine(r); !errors.Is(err, ErrProtocol) {
		t.Fatalf("readLine of a line over %d bytes: error %v; want ErrProtocol", MaxLineLength, err)
	}
}
