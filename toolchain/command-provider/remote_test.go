package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/ssh"
)

const remoteURN = "urn:pulumi:dev::proj::command:remote:Command::r"

// sshServer is a minimal SSH server on 127.0.0.1: public-key auth for one key, `env` requests
// for ALLOWED_* names only (like sshd's AcceptEnv), `exec` run with /bin/sh -c.
type sshServer struct {
	logins     *atomic.Int32 // connections that authenticated
	open       *atomic.Int32 // authenticated connections not closed yet
	addr       string
	hostKey    string // authorized_keys line
	privateKey string // the client's key, PEM
}

func startSSHServer(t *testing.T) *sshServer {
	t.Helper()
	_, hostPriv, _ := ed25519.GenerateKey(rand.Reader)
	clientPub, clientPriv, _ := ed25519.GenerateKey(rand.Reader)
	hostSigner, _ := ssh.NewSignerFromKey(hostPriv)
	authorized, _ := ssh.NewPublicKey(clientPub)
	block, err := ssh.MarshalPrivateKey(clientPriv, "")
	if err != nil {
		t.Fatal(err)
	}
	logins, open := &atomic.Int32{}, &atomic.Int32{}
	config := &ssh.ServerConfig{PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
		if string(k.Marshal()) != string(authorized.Marshal()) {
			return nil, io.EOF
		}
		logins.Add(1)
		return nil, nil
	}}
	config.AddHostKey(hostSigner)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serveSSH(c, config, open)
		}
	}()
	return &sshServer{logins: logins, open: open, addr: l.Addr().String(), privateKey: string(pem.EncodeToMemory(block)),
		hostKey: string(ssh.MarshalAuthorizedKey(hostSigner.PublicKey()))}
}

func serveSSH(c net.Conn, config *ssh.ServerConfig, open *atomic.Int32) {
	conn, chans, reqs, err := ssh.NewServerConn(c, config)
	if err != nil {
		return
	}
	open.Add(1)
	defer open.Add(-1) // once chans is closed: the client has gone
	defer conn.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		ch, reqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			defer ch.Close()
			var env []string
			for req := range reqs {
				// Both payloads are SSH strings: name, value (env) or the command (exec).
				var fields []string
				for p := req.Payload; len(p) >= 4; {
					n := binary.BigEndian.Uint32(p)
					fields, p = append(fields, string(p[4:4+n])), p[4+n:]
				}
				switch {
				case req.Type == "env" && strings.HasPrefix(fields[0], "ALLOWED_"):
					env = append(env, fields[0]+"="+fields[1])
					req.Reply(true, nil)
				case req.Type == "exec":
					req.Reply(true, nil)
					cmd := exec.Command("/bin/sh", "-c", fields[0])
					cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, ch, ch, ch.Stderr()
					status := uint32(0)
					if err := cmd.Run(); err != nil {
						status = uint32(cmd.ProcessState.ExitCode())
					}
					ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, status))
					return
				default:
					req.Reply(false, nil)
				}
			}
		}()
	}
}

func (s *sshServer) connection(extra map[string]any) resource.PropertyValue {
	host, port, _ := net.SplitHostPort(s.addr)
	c := map[string]any{"host": host, "port": float64(mustAtoi(port)), "user": "u", "privateKey": s.privateKey,
		"dialErrorLimit": 1.0, "perDialTimeout": 5.0}
	for k, v := range extra {
		c[k] = v
	}
	return resource.MakeSecret(resource.NewPropertyValue(c))
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

func createRemote(t *testing.T, p *commandProvider, in map[string]any) (resource.PropertyMap, error) {
	t.Helper()
	s, _ := marshal(props(in))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := p.Create(ctx, &pulumirpc.CreateRequest{Urn: remoteURN, Properties: s})
	if err != nil {
		return nil, err
	}
	return unmarshal(resp.Properties)
}

func TestRemoteRun(t *testing.T) {
	srv := startSSHServer(t)
	var logged []string
	var mu sync.Mutex
	p := newProvider(nil, false)
	p.runners[remoteCommand] = func(ctx context.Context, command string, s spec, l logger) (string, string, error) {
		l.info = func(m string) { mu.Lock(); logged = append(logged, m); mu.Unlock() }
		return runRemote(ctx, freshSession, command, s, l)
	}
	out, err := createRemote(t, p, map[string]any{
		"connection":  srv.connection(map[string]any{"hostKey": srv.hostKey}),
		"create":      `echo "out $ALLOWED_X"; echo err >&2; cat`,
		"stdin":       "in",
		"environment": map[string]any{"ALLOWED_X": "x"},
		"logging":     "stderr",
	})
	if err != nil {
		t.Fatal(err)
	}
	if out["stdout"].StringValue() != "out x\nin" || out["stderr"].StringValue() != "err" {
		t.Errorf("outputs %v", out)
	}
	if strings.Join(logged, "|") != "err" {
		t.Errorf("logged %q, want only stderr", logged)
	}
	if !out["connection"].IsSecret() {
		t.Error("connection lost its secret marker")
	}
}

func TestRemoteFailures(t *testing.T) {
	srv := startSSHServer(t)
	otherHost := startSSHServer(t)
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	for _, tc := range []struct {
		name string
		in   map[string]any
		want []string
	}{
		{"exit status", map[string]any{"connection": srv.connection(nil), "create": "echo partial; exit 7"},
			[]string{"Process exited with status 7", `running "echo partial; exit 7"`, "partial\n"}},
		{"wrong host key", map[string]any{"connection": srv.connection(map[string]any{"hostKey": otherHost.hostKey}), "create": "true"},
			[]string{"cannot connect to " + srv.addr, "(2 attempts)", "host key mismatch"}},
		{"refused env", map[string]any{"connection": srv.connection(nil), "create": "true", "environment": map[string]any{"X": "1"}},
			[]string{`could not set environment variable "X"`, "AcceptEnv"}},
		{"nobody listening", map[string]any{"connection": srv.connection(map[string]any{"port": float64(mustAtoi(strings.Split(closedAddr, ":")[1])),
			"dialErrorLimit": 2.0}), "create": "true"},
			[]string{"cannot connect to " + closedAddr + " as u (3 attempts)", "connection refused"}},
		{"bad key", map[string]any{"connection": srv.connection(map[string]any{"privateKey": "not a key"}), "create": "true"},
			[]string{"connection.privateKey: ssh: no key found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := createRemote(t, newProvider(nil, false), tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Errorf("error shows the private key: %q", err)
			}
		})
	}
}

// Update and delete see the previous output as PULUMI_COMMAND_STDOUT when sshd accepts it; this
// one does not, which is only a warning.
func TestRemoteDeleteWarnsOnRefusedPreviousOutput(t *testing.T) {
	srv := startSSHServer(t)
	var warnings []string
	p := newProvider(nil, false)
	p.runners[remoteCommand] = func(ctx context.Context, command string, s spec, l logger) (string, string, error) {
		l.warn = func(m string) { warnings = append(warnings, m) }
		return runRemote(ctx, freshSession, command, s, l)
	}
	state, _ := marshal(props(map[string]any{"connection": srv.connection(nil), "delete": "echo bye", "stdout": "hi"}))
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: remoteURN, Properties: state}); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "PULUMI_COMMAND_STDOUT") {
		t.Fatalf("warnings %q", warnings)
	}
}

// Each value of SWARM_MACVLAN_COMMAND_POOL against one host, 12 commands at once (more than
// the pool's session limit): unset or 0, one login per command, every connection closed once
// its command is done (upstream's behaviour); 1, one login, the connection kept.
func TestRemoteConnectionsPerMode(t *testing.T) {
	const commands = 12
	for _, tc := range []struct {
		env          string
		logins, open int32
	}{{"", commands, 0}, {"0", commands, 0}, {"1", 1, 1}} {
		t.Run("SWARM_MACVLAN_COMMAND_POOL="+tc.env, func(t *testing.T) {
			pooled, err := pooledFromEnv(tc.env)
			if err != nil {
				t.Fatal(err)
			}
			srv := startSSHServer(t)
			p := newProvider(nil, pooled)
			var wg sync.WaitGroup
			errs := make(chan error, commands)
			for i := range commands {
				wg.Add(1)
				go func() {
					defer wg.Done()
					out, err := createRemote(t, p, map[string]any{"connection": srv.connection(nil), "create": fmt.Sprintf("sleep 0.2; echo %d", i)})
					if err == nil && out["stdout"].StringValue() != strconv.Itoa(i) {
						err = fmt.Errorf("command %d printed %q", i, out["stdout"].StringValue())
					}
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			if n := srv.logins.Load(); n != tc.logins {
				t.Errorf("%d logins for %d commands on one host, want %d", n, commands, tc.logins)
			}
			// The server sees a closed connection a moment after the client closes it.
			deadline := time.Now().Add(5 * time.Second)
			for srv.open.Load() != tc.open && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := srv.open.Load(); n != tc.open {
				t.Errorf("%d connections still open after the commands, want %d", n, tc.open)
			}
		})
	}
}

func TestPooledFromEnvRefusesOtherValues(t *testing.T) {
	_, err := pooledFromEnv("yes")
	want := `SWARM_MACVLAN_COMMAND_POOL="yes": expected 1 (one pooled SSH connection per host) or 0 or unset ` +
		`(a new SSH connection per command, as upstream)`
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}
