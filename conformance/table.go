package conformance

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// maxCell bounds the width of the expected and seen columns.
const maxCell = 70

// WriteTable writes the results as an aligned table with the columns
// rule, check, result, time, expected and seen, then a summary line
// "N passed, N failed, N skipped" (passed checks include those with a
// warning, which a second line counts).
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tCHECK\tRESULT\tTIME\tEXPECTED\tSEEN")
	counts := map[Status]int{}
	for _, r := range results {
		counts[r.Status]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", cell(r.Rule), cell(r.Check), r.Status,
			r.Duration.Round(time.Millisecond), cell(r.Expected), cell(r.Seen))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("conformance: writing table: %w", err)
	}

	_, err := fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", counts[Pass]+counts[Warn], counts[Fail], counts[Skip])
	if err == nil && counts[Warn] > 0 {
		_, err = fmt.Fprintf(w, "%d of the passed checks gave warnings\n", counts[Warn])
	}
	if err != nil {
		return fmt.Errorf("conformance: writing table: %w", err)
	}
	return nil
}

// cell makes a value fit one table cell: one line, no tab, at most
// maxCell characters.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	if r := []rune(s); len(r) > maxCell {
		return string(r[:maxCell-1]) + "…"
	}
	return s
}
