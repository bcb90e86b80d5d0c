package pop3

import (
	"bufio"
	"bytes"
	"testing"
)

// BenchmarkReadDotBody measures reading a 1 MiB RETR reply of 100-byte
// lines, one in ten dot-stuffed.
func BenchmarkReadDotBody(b *testing.B) {
	var reply bytes.Buffer
	line := bytes.Repeat([]byte("x"), 98)
	for i := 0; reply.Len() < 1<<20; i++ {
		if i%10 == 0 {
			reply.WriteString("..")
		}
		reply.Write(line)
		reply.WriteString("\r\n")
	}
	reply.WriteString(".\r\n")
	data := reply.Bytes()

	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := bufio.NewReaderSize(bytes.NewReader(data), MaxLineLength)
		if _, err := readDotBody(r, 2<<20); err != nil {
			b.Fatal(err)
		}
	}
}
