package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

const killDelay = 5 * time.Second // from SIGINT to SIGKILL; also for pipes to drain at exit

// host implements the LanguageRuntime service. What the CLI needs only for code generation,
// templates, packing or linking stays Unimplemented (the embedded server).
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	tracing    string
	engineAddr atomic.Pointer[string]
	ctx        context.Context    // cancelled by the Cancel RPC or a signal,
	cancelAll  context.CancelFunc // which interrupts every running program
}

func newHost(engineAddr, tracing string) *host {
	ctx, cancel := context.WithCancel(context.Background())
	h := &host{tracing: tracing, ctx: ctx, cancelAll: cancel}
	h.engineAddr.Store(&engineAddr)
	return h
}

// Handshake comes only when the engine attaches to a host it did not start
// (PULUMI_DEBUG_LANGUAGES); a host it starts gets the address as an argument.
func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	addr := req.GetEngineAddress()
	h.engineAddr.Store(&addr)
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion()}, nil
}

func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := requiredPackages(req.GetInfo().GetProgramDirectory())
	if err != nil { // not fatal: an unlisted provider is loaded when first used
		logging.V(3).Infof("looking for provider plugins in node_modules: %v", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Run runs the program once (preview, update, refresh, destroy --run-program). A failing
// program is a RunResponse error, not an RPC error.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	p := programOf(req)
	opts, err := parseOptions(p.options)
	var node, script string
	if err == nil { // the run script of the program's own @pulumi/pulumi: the copy it registers with
		node, script, err = resolveScript(ctx, p.dir, "@pulumi/pulumi/cmd/run")
	}
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd := exec.Command(node, runArgv(req, opts, script, *h.engineAddr.Load(), h.tracing)...)
	cmd.Dir, cmd.Env = req.GetPwd(), runEnv(os.Environ(), req, opts)
	// The engine shows what we print. Hiding the *os.File makes os/exec copy through pipes
	// rather than hand node our descriptors, which node may switch to non-blocking mode.
	cmd.Stdout, cmd.Stderr = struct{ io.Writer }{os.Stdout}, struct{ io.Writer }{os.Stderr}
	logging.V(5).Infof("running %s", strings.Join(cmd.Args, " "))
	return runResult(h.runGroup(ctx, cmd)), nil
}

// runGroup runs cmd in a process group of its own and waits for it. When ctx or the host is
// cancelled, the group (so whatever the program started, too) gets SIGINT, later SIGKILL.
func (h *host) runGroup(ctx context.Context, cmd *exec.Cmd) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(h.ctx, cancel)()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = killDelay
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		select {
		case <-exited:
			return
		case <-ctx.Done():
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(killDelay):
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // also whatever outlived the leader
	}()
	defer close(exited)
	return cmd.Wait()
}

// resolveScript finds node and asks it where MOD resolves from DIR, so that node's own rules
// (parent node_modules, symlinks, NODE_PATH, "exports") apply.
func resolveScript(ctx context.Context, dir, mod string) (node, script string, err error) {
	if node, err = exec.LookPath("node"); err != nil {
		return "", "", fmt.Errorf("could not find node on PATH: %w", err)
	}
	cmd := exec.CommandContext(ctx, node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", mod)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if msg := strings.TrimSpace(stderr.String()); err != nil {
		if strings.Contains(msg, "Cannot find module") {
			msg = "not installed"
		}
		return "", "", fmt.Errorf("could not find %s from %s (%s): run `npm install` there", mod, dir, msg)
	}
	return node, string(out), nil
}

// InstallDependencies (`pulumi install`, `pulumi new`) is refused, saying what to do: this
// project installs with `npm ci` from its lock file, not through the engine.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	_ pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return status.Errorf(codes.Unimplemented, "this language host (swarm-macvlan) does not install "+
		"dependencies: run `npm ci` (or `npm install`) in %s", req.GetInfo().GetProgramDirectory())
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out)),
		Metadata: map[string]string{"packagemanager": "npm"}}, err
}

// GetProgramDependencies lists package.json's dependencies and devDependencies with the
// version installed in node_modules, else the range asked for.
func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	var infos []*pulumirpc.DependencyInfo
	for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name, version := range deps {
			if p, err := readPackageJSON(filepath.Join(dir, "node_modules", name, "package.json")); err == nil {
				version = p.Version
			}
			infos = append(infos, &pulumirpc.DependencyInfo{Name: name, Version: version})
		}
	}
	sort.SliceStable(infos, func(i, j int) bool { return infos[i].Name < infos[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: infos}, nil
}

// RunPlugin runs a Node.js plugin (a directory with PulumiPlugin.yaml, e.g. a component
// provider) through @pulumi/pulumi's run-plugin script; the engine reads the plugin's port
// from the output streamed back. Policy packs, which would need a proxy that first learns
// the stack's configuration, are refused.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() == "analyzer" {
		return status.Error(codes.Unimplemented, "this language host (swarm-macvlan) does not run policy packs")
	}
	dir := req.GetInfo().GetProgramDirectory()
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	node, script := "", ""
	if err == nil {
		node, script, err = resolveScript(server.Context(), dir, "@pulumi/pulumi/cmd/run-plugin")
	}
	closer, stdout, stderr, streamErr := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil || streamErr != nil {
		return errors.Join(err, streamErr)
	}
	defer closer.Close()
	cmd := exec.Command(node, append(append(opts.nodeargs, script, dir), req.GetArgs()...)...)
	cmd.Dir, cmd.Env = req.GetPwd(), append(req.GetEnv(), typescriptEnv(opts)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := h.runGroup(server.Context(), cmd); err != nil {
		return fmt.Errorf("plugin %s (node %s): %w", req.GetName(), dir, err)
	}
	return closer.Close()
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelAll()
	return &emptypb.Empty{}, nil
}
