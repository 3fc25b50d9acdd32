package dataset

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxLineBytes is the longest record line ReadRecords accepts, not counting
// the line terminator. Longer lines are reported as a LineError and skipped
// without ever being held in memory whole.
const MaxLineBytes = 1 << 20

// lineReader splits a stream into lines with a bounded memory footprint,
// which bufio.Scanner cannot do: it stops at the first over-long line.
type lineReader struct {
	br  *bufio.Reader
	buf []byte
	max int
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its "\n" or "\r\n" terminator. tooLong
// reports a line over the limit, whose content is then dropped. The returned
// slice is only valid until the next call. At the end of the stream next
// returns io.EOF.
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	l.buf = l.buf[:0]
	sawData := false
	for {
		frag, err := l.br.ReadSlice('\n')
		sawData = sawData || len(frag) > 0
		// Two spare bytes leave room for the "\r\n" trimmed below.
		if !tooLong && len(l.buf)+len(frag) > l.max+2 {
			tooLong, l.buf = true, l.buf[:0]
		}
		if !tooLong {
			l.buf = append(l.buf, frag...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && !sawData:
			return nil, false, io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return nil, false, err
		}
		line = trimEOL(l.buf)
		return line, tooLong || len(line) > l.max, nil
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
