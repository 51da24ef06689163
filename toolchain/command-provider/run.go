package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
)

// capture collects a command's output: stdout and stderr apart (the resource's outputs), both
// interleaved (for the error message), and, as @pulumi/command's `logging` asks, complete lines
// to log. The SSH session and os/exec write the two streams from different goroutines.
type capture struct {
	mu                   sync.Mutex
	stdout, stderr, both bytes.Buffer
	logStdout, logStderr bool
	log                  func(line string)
	partial              []byte // a logged line not yet ended
}

func newCapture(s spec, log func(string)) *capture {
	return &capture{logStdout: s.logStdout, logStderr: s.logStderr, log: log}
}

func (c *capture) stdoutWriter() io.Writer { return stream{c, &c.stdout, c.logStdout} }
func (c *capture) stderrWriter() io.Writer { return stream{c, &c.stderr, c.logStderr} }

type stream struct {
	c   *capture
	own *bytes.Buffer
	log bool
}

func (s stream) Write(p []byte) (int, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.own.Write(p)
	s.c.both.Write(p)
	if s.log {
		s.c.partial = append(s.c.partial, p...)
		for {
			i := bytes.IndexByte(s.c.partial, '\n')
			if i < 0 {
				break
			}
			s.c.log(string(s.c.partial[:i]))
			s.c.partial = s.c.partial[i+1:]
		}
	}
	return len(p), nil
}

// finish logs a last line without a newline and turns a failed run into upstream's error text:
// "<cause>: running \"<command>\":\n<stdout and stderr>". On success it returns the outputs,
// one trailing newline trimmed.
func (c *capture) finish(command string, err error) (stdout, stderr string, _ error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.partial) > 0 {
		c.log(string(c.partial))
		c.partial = nil
	}
	if err != nil {
		return "", "", fmt.Errorf("%w: running %q:\n%s", err, command, c.both.String())
	}
	// Protobuf strings must be UTF-8: a command printing other bytes must not fail its
	// resource after it has run.
	clean := func(b *bytes.Buffer) string {
		return strings.ToValidUTF8(strings.TrimSuffix(b.String(), "\n"), "\uFFFD")
	}
	return clean(&c.stdout), clean(&c.stderr), nil
}

// runner runs one command for a resource and returns its stdout and stderr.
type runner func(ctx context.Context, command string, s spec, log logger) (stdout, stderr string, err error)

// logger sends messages about one resource to the engine.
type logger struct{ info, warn func(msg string) }
