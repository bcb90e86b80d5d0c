package conformance

import (
	"strings"
	"testing"
	"time"
)

func TestWriteTable(t *testing.T) {
	results := []Result{
		{Rule: "ping", Check: "ping round trip", Status: Pass, Expected: `JSON = "{}"`, Seen: `"{}"`,
			Duration: 1500 * time.Microsecond},
		{Rule: "meta", Check: "meta/ keys", Status: Fail, Expected: "status 200",
			Seen: "status 500:\n" + strings.Repeat("x", 200)},
		{Rule: "time-out", Check: "slow service is 504", Status: Skip, Seen: "time-out unknown"},
		{Rule: "meta", Check: "meta/x", Status: Warn, Expected: "known keys only", Seen: "unknown key"},
	}

	var out strings.Builder
	if err := WriteTable(&out, results); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")

	if len(lines) != 7 {
		t.Fatalf("got %d lines, want header, 4 rows and 2 summary lines:\n%s", len(lines), out.String())
	}
	header := strings.Fields(lines[0])
	if strings.Join(header, " ") != "RULE CHECK RESULT TIME EXPECTED SEEN" {
		t.Errorf("header = %q", lines[0])
	}
	if col := strings.Index(lines[0], "RESULT"); !strings.HasPrefix(lines[2][col:], "FAIL") {
		t.Errorf("FAIL not aligned under RESULT:\n%s", out.String())
	}
	if !strings.Contains(lines[1], "2ms") {
		t.Errorf("row %q lacks the rounded time 2ms", lines[1])
	}
	if strings.Contains(lines[2], strings.Repeat("x", maxCell)) || !strings.HasSuffix(lines[2], "…") {
		t.Errorf("long seen value not cut to %d characters: %q", maxCell, lines[2])
	}
	if !strings.Contains(lines[3], "SKIP") || !strings.Contains(lines[3], "time-out unknown") {
		t.Errorf("skip row = %q", lines[3])
	}
	if lines[5] != "2 passed, 1 failed, 1 skipped" {
		t.Errorf("summary = %q", lines[5])
	}
	if lines[6] != "1 of the passed checks gave warnings" {
		t.Errorf("warning line = %q", lines[6])
	}
}

func TestResultPassed(t *testing.T) {
	for status, want := range map[Status]bool{Pass: true, Warn: true, Fail: false, Skip: false} {
		if got := (Result{Status: status}).Passed(); got != want {
			t.Errorf("Result{Status: %s}.Passed() = %v, want %v", status, got, want)
		}
	}
}
