package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"golang.org/x/crypto/ssh"
)

// maxSessions bounds the sessions open at once on one connection: sshd's MaxSessions is 10 by
// default, and a session over the limit is refused.
const maxSessions = 8

// pool keeps one SSH connection per destination (user, host, port and credentials) for the
// life of the provider process, one `pulumi up`: a host sees one login however many commands
// run on it, each command a session of its own.
type pool struct {
	mu      sync.Mutex
	entries map[string]*pooled
}

// pooled is one connection, or the dial under way that will give it.
type pooled struct {
	ready  chan struct{} // closed when the dial is done
	client *ssh.Client
	err    error
	slots  chan struct{}
}

var connections = &pool{entries: map[string]*pooled{}}

func poolKey(c *connection) string {
	sum := sha256.Sum256([]byte(c.privateKey + "\x00" + c.privateKeyPassword + "\x00" + c.password + "\x00" + c.agentSocketPath + "\x00" + c.hostKey))
	return fmt.Sprintf("%s@%s|%s", c.user, c.addr(), hex.EncodeToString(sum[:8]))
}

// session opens a session on the pooled connection to c (dialing it first if need be), within
// the session limit; release gives the slot back. A connection that has broken is dialed again.
func (p *pool) session(ctx context.Context, c *connection, log logger) (*ssh.Session, func(), error) {
	for attempt := 0; ; attempt++ {
		e, err := p.get(ctx, c, log)
		if err != nil {
			return nil, nil, err
		}
		select {
		case e.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		release := func() { <-e.slots }
		s, err := e.client.NewSession()
		if err == nil {
			return s, release, nil
		}
		release()
		p.drop(c, e)
		if attempt > 0 {
			return nil, nil, fmt.Errorf("ssh session on %s: %w", c.addr(), err)
		}
	}
}

func (p *pool) get(ctx context.Context, c *connection, log logger) (*pooled, error) {
	key := poolKey(c)
	p.mu.Lock()
	e, ok := p.entries[key]
	if !ok {
		e = &pooled{ready: make(chan struct{}), slots: make(chan struct{}, maxSessions)}
		p.entries[key] = e
		go func() {
			// The dial outlives the context of the command that started it: others wait on it.
			e.client, e.err = dial(context.WithoutCancel(ctx), c, log)
			if e.err != nil {
				p.drop(c, e)
			}
			close(e.ready)
		}()
	}
	p.mu.Unlock()
	select {
	case <-e.ready:
		return e, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// drop forgets e (a failed dial or a broken connection) so that the next command dials again.
func (p *pool) drop(c *connection, e *pooled) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.entries[poolKey(c)] == e {
		delete(p.entries, poolKey(c))
		if e.client != nil {
			e.client.Close()
		}
	}
}
