// Package procstat reads the memory figures of a process from
// /proc/<pid>/status on Linux.
package procstat

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ErrMissingField is returned when the status text lacks VmRSS or VmHWM,
// as for a kernel thread or a process that is exiting.
var ErrMissingField = errors.New("procstat: missing field")

// Memory is the resident memory of a process, in bytes.
type Memory struct {
	// RSS is the resident set size now (VmRSS).
	RSS int64
	// HWM is the peak resident set size since the process started or its
	// peak was last reset (VmHWM).
	HWM int64
}

// Read returns the memory of the process pid.
func Read(pid int) (Memory, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return Memory{}, fmt.Errorf("procstat: reading status of process %d: %w", pid, err)
	}
	defer f.Close()

	m, err := Parse(f)
	if err != nil {
		return Memory{}, fmt.Errorf("procstat: process %d: %w", pid, err)
	}
	return m, nil
}

// Parse reads VmRSS and VmHWM from the text of a /proc/<pid>/status file,
// where they read like "VmRSS:	   12345 kB".
func Parse(r io.Reader) (Memory, error) {
	var m Memory
	var haveRSS, haveHWM bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}

		n, err := parseKB(value)
		if err != nil {
			return Memory{}, fmt.Errorf("procstat: invalid %s %q: %w", name, strings.TrimSpace(value), err)
		}
		if name == "VmRSS" {
			m.RSS, haveRSS = n, true
		} else {
			m.HWM, haveHWM = n, true
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("procstat: reading status: %w", err)
	}

	if !haveRSS || !haveHWM {
		return Memory{}, fmt.Errorf("%w: VmRSS or VmHWM not in the status", ErrMissingField)
	}
	return m, nil
}

// parseKB converts a value such as "   12345 kB" to bytes.
func parseKB(value string) (int64, error) {
	number, ok := strings.CutSuffix(strings.TrimSpace(value), " kB")
	if !ok {
		return 0, errors.New("the unit is not kB")
	}

	n, err := strconv.ParseInt(strings.TrimSpace(number), 10, 64)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > (1<<53)/1024 {
		return 0, fmt.Errorf("%d kB is out of range", n)
	}
	return n * 1024, nil
}
