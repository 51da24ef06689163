package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// runLocal runs command with the interpreter (default /bin/sh -c) in s.dir (default: the
// provider's working directory, which the engine sets to the program's).
func runLocal(ctx context.Context, command string, s spec, log logger) (string, string, error) {
	args := s.interpreter
	if len(args) == 0 {
		args = []string{"/bin/sh", "-c"}
	}
	args = append(args[:len(args):len(args)], command)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	// Cancelling kills the whole process group: the shell and whatever it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second // in case a process left the group and holds the pipes
	cmd.Dir = s.dir
	cmd.Env = os.Environ()
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if s.prevOutputInEnv {
		if s.prevStdout != "" {
			cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDOUT="+s.prevStdout)
		}
		if s.prevStderr != "" {
			cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDERR="+s.prevStderr)
		}
	}
	if s.stdin != "" {
		cmd.Stdin = strings.NewReader(s.stdin)
	}
	out := newCapture(s, log.info)
	cmd.Stdout, cmd.Stderr = out.stdoutWriter(), out.stderrWriter()
	return out.finish(command, cmd.Run())
}
