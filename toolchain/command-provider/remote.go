package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// connection is remote.Command's `connection` with @pulumi/command's defaults applied.
type connection struct {
	host, user                               string
	port, dialErrorLimit, perDialTimeout     int
	privateKey, privateKeyPassword, password string
	agentSocketPath, hostKey                 string
}

// opener gives a session on an SSH connection to c's host for one command; release is called
// once the command is done.
type opener func(ctx context.Context, c *connection, log logger) (session *ssh.Session, release func(), err error)

// freshSession dials a connection for this one command and closes it after, as upstream's
// provider does (pulumi-command 1.2.1, provider/pkg/provider/remote/connection.go, Dial on every
// Create, Update and Delete): the host sees one login per command, all at once when Pulumi
// runs commands in parallel.
func freshSession(ctx context.Context, c *connection, log logger) (*ssh.Session, func(), error) {
	client, err := dial(ctx, c, log)
	if err != nil {
		return nil, nil, err
	}
	session, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("ssh session on %s: %w", c.addr(), err)
	}
	return session, func() { client.Close() }, nil
}

// remoteRunner runs commands on their hosts over SSH, each in a session that open gives
// (freshSession, or the pool's); the remote user's login shell interprets the command.
func remoteRunner(open opener) runner {
	return func(ctx context.Context, command string, s spec, log logger) (string, string, error) {
		return runRemote(ctx, open, command, s, log)
	}
}

func runRemote(ctx context.Context, open opener, command string, s spec, log logger) (string, string, error) {
	session, release, err := open(ctx, s.conn, log)
	if err != nil {
		return "", "", err
	}
	defer release()
	defer session.Close()
	// Closing the session is what ends a running command when the operation is cancelled (a
	// pooled connection stays: other commands may be using it).
	defer context.AfterFunc(ctx, func() { session.Close() })()
	// sshd refuses variables it does not AcceptEnv: fatal for `environment` (as upstream),
	// only a warning for the previous output.
	for k, v := range s.env {
		if err := session.Setenv(k, v); err != nil {
			return "", "", fmt.Errorf("could not set environment variable %q on %s (the SSH server "+
				"accepts only the names its AcceptEnv lists): %w", k, s.conn.addr(), err)
		}
	}
	if s.prevOutputInEnv {
		previous := map[string]string{"PULUMI_COMMAND_STDOUT": s.prevStdout, "PULUMI_COMMAND_STDERR": s.prevStderr}
		for k, v := range previous {
			if v != "" && session.Setenv(k, v) != nil {
				log.warn(fmt.Sprintf("Unable to set '%s': the SSH server on %s does not accept it (AcceptEnv)",
					k, s.conn.addr()))
			}
		}
	}
	if s.stdin != "" {
		session.Stdin = strings.NewReader(s.stdin)
	}
	out := newCapture(s, log.info)
	session.Stdout, session.Stderr = out.stdoutWriter(), out.stderrWriter()
	return out.finish(command, session.Run(command))
}

func (c *connection) addr() string { return net.JoinHostPort(c.host, strconv.Itoa(c.port)) }

// dial connects and authenticates, retrying failures (connection refused while a host boots,
// a handshake that times out) with a growing delay, as upstream does: at most dialErrorLimit
// failures are retried (-1: no limit), each attempt bounded by perDialTimeout seconds (0: none).
func dial(ctx context.Context, c *connection, log logger) (*ssh.Client, error) {
	config := &ssh.ClientConfig{User: c.user, HostKeyCallback: ssh.InsecureIgnoreHostKey()}
	if c.hostKey != "" {
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(c.hostKey))
		if err != nil {
			return nil, fmt.Errorf("connection.hostKey: %w", err)
		}
		config.HostKeyCallback = ssh.FixedHostKey(key)
		config.HostKeyAlgorithms = []string{key.Type()}
		if key.Type() == ssh.KeyAlgoRSA { // an RSA key signs with SHA-2 on current servers
			config.HostKeyAlgorithms = []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
		}
	}
	if c.privateKey != "" {
		var signer ssh.Signer
		var err error
		if c.privateKeyPassword != "" {
			signer, err = ssh.ParsePrivateKeyWithPassphrase([]byte(c.privateKey), []byte(c.privateKeyPassword))
		} else {
			signer, err = ssh.ParsePrivateKey([]byte(c.privateKey))
		}
		if err != nil { // the parser's errors never quote the key
			return nil, fmt.Errorf("connection.privateKey: %w", err)
		}
		config.Auth = append(config.Auth, ssh.PublicKeys(signer))
	}
	if c.password != "" {
		config.Auth = append(config.Auth, ssh.Password(c.password),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = c.password
				}
				return answers, nil
			}))
	}
	// Like upstream, an agent (agentSocketPath, else $SSH_AUTH_SOCK) is offered too.
	if sock := cmp.Or(c.agentSocketPath, os.Getenv("SSH_AUTH_SOCK")); sock != "" {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			return nil, fmt.Errorf("ssh agent at %s: %w", sock, err)
		}
		defer conn.Close() // the signers are only needed while authenticating
		config.Auth = append(config.Auth, ssh.PublicKeysCallback(agent.NewClient(conn).Signers))
	}

	timeout := time.Duration(c.perDialTimeout) * time.Second
	delay := 100 * time.Millisecond
	for failures := 1; ; failures++ {
		client, err := dialOnce(ctx, c.addr(), config, timeout)
		if err == nil {
			return client, nil
		}
		if ctx.Err() != nil || (c.dialErrorLimit >= 0 && failures > c.dialErrorLimit) {
			return nil, fmt.Errorf("cannot connect to %s as %s (%d attempts): %w", c.addr(), c.user, failures, err)
		}
		log.info(fmt.Sprintf("ssh %s: attempt %d failed (%v); retrying", c.addr(), failures, err))
		select {
		case <-time.After(delay):
		case <-ctx.Done():
		}
		delay = min(delay*3/2, 5*time.Second)
	}
}

func dialOnce(ctx context.Context, addr string, config *ssh.ClientConfig, timeout time.Duration) (*ssh.Client, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	// The timeout covers the SSH handshake and authentication too, not only TCP's connect.
	if timeout > 0 {
		conn.SetDeadline(time.Now().Add(timeout))
	}
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, config)
	if err != nil {
		conn.Close()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			err = fmt.Errorf("no SSH handshake within %v", timeout)
		}
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return ssh.NewClient(sc, chans, reqs), nil
}
