package main

// The pure parts of the host, free of gRPC and process state so that tests can pin their
// exact results: runtime options, the run script's argv and env, exit status, node_modules.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitAfterUserMessage is the status @pulumi/pulumi's run script exits with when it has
// already shown the user the error (cmd/run/index.js): the engine must not add another.
const exitAfterUserMessage = 32

// nodeOptions are the Pulumi.yaml runtime.options this host acts on. The others upstream
// knows (packagemanager, production) are about installing, which this host does not do.
type nodeOptions struct {
	typescript bool     // run .ts through ts-node; the run script reads PULUMI_NODEJS_TYPESCRIPT
	tsconfig   string   // PULUMI_NODEJS_TSCONFIG_PATH
	nodeargs   []string // arguments for node itself, before the script
}

func option[T any](opts map[string]any, key, kind string, dst *T) error {
	if v, ok := opts[key]; ok {
		t, ok := v.(T)
		if !ok {
			return fmt.Errorf("runtime option %s must be a %s, got %v", key, kind, v)
		}
		*dst = t
	}
	return nil
}

func parseOptions(opts map[string]any) (nodeOptions, error) {
	o := nodeOptions{typescript: true} // Pulumi's documented default
	var nodeargs string
	err := errors.Join(option(opts, "typescript", "boolean", &o.typescript),
		option(opts, "tsconfig", "string", &o.tsconfig), option(opts, "nodeargs", "string", &nodeargs))
	if strings.ContainsAny(nodeargs, `'"\`) { // split on blanks only: refuse what a shell would treat otherwise
		err = fmt.Errorf("runtime option nodeargs: quotes and backslashes are not supported: %q", nodeargs)
	}
	o.nodeargs = strings.Fields(nodeargs)
	return o, err
}

// program is where and what to run: from ProgramInfo, or the older fields without it.
type program struct {
	root, dir, entry string
	options          map[string]any
}

func programOf(req *pulumirpc.RunRequest) program {
	p := program{dir: req.GetPwd(), entry: req.GetProgram()}
	if info := req.GetInfo(); info != nil {
		p.root, p.dir, p.entry = info.GetRootDirectory(), info.GetProgramDirectory(), info.GetEntryPoint()
		p.options = info.GetOptions().AsMap()
	}
	if p.entry == "" {
		p.entry = "." // the run script reads "." as the package in --pwd
	}
	return p
}

// runArgv is node's argv after the node binary: nodeargs, the run script, its flags (as
// cmd/run/index.js parses them), the entry point, the program's own args. That script has no
// query-mode or loader flag; its --sync (synchronous invokes) is used by nothing any more.
func runArgv(req *pulumirpc.RunRequest, opts nodeOptions, runScript, engineAddr, tracing string) []string {
	p := programOf(req)
	argv := append(append([]string{}, opts.nodeargs...), runScript)
	flag := func(name, value string) {
		if value != "" {
			argv = append(argv, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", engineAddr)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", p.root)
	flag("stack", req.GetStack())
	flag("pwd", p.dir)
	if req.GetDryRun() {
		argv = append(argv, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", tracing)
	return append(append(argv, p.entry), req.GetArgs()...)
}

// runEnv is BASE plus the configuration and TypeScript settings (later entries win in
// os/exec). Config keys go as the engine sends them ("project:key"); the SDK's reader
// also accepts the legacy "project:config:key", which is therefore not produced.
func runEnv(base []string, req *pulumirpc.RunRequest, opts nodeOptions) []string {
	cfg, secrets := req.GetConfig(), req.GetConfigSecretKeys()
	if cfg == nil {
		cfg = map[string]string{}
	}
	if secrets == nil {
		secrets = []string{}
	}
	cfgJSON, _ := json.Marshal(cfg) // cannot fail for strings; keys come out sorted
	secretsJSON, _ := json.Marshal(secrets)
	env := append(append([]string{}, base...),
		"PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretsJSON))
	return append(env, typescriptEnv(opts)...)
}

func typescriptEnv(opts nodeOptions) []string {
	var env []string
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env
}

// runResult maps how node ended (exec's Wait error) to the engine's RunResponse.
func runResult(err error) *pulumirpc.RunResponse {
	var exitErr *exec.ExitError
	switch {
	case err == nil, errors.Is(err, exec.ErrWaitDelay): // the latter: exit 0, but a child kept its output open
		return &pulumirpc.RunResponse{}
	case !errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the program with node: %v", err)}
	case exitErr.ExitCode() == exitAfterUserMessage:
		return &pulumirpc.RunResponse{Bail: true}
	case exitErr.ExitCode() == -1: // killed by a signal
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}
	}
}

// packageJSON is the part of a package.json this host reads.
type packageJSON struct {
	Name, Version                 string
	Dependencies, DevDependencies map[string]string
	Pulumi                        struct {
		Resource              bool
		Name, Version, Server string
		Parameterization      *struct {
			Name, Version string
			Value         []byte
		}
	}
}

func readPackageJSON(path string) (*packageJSON, error) {
	var p packageJSON
	b, err := os.ReadFile(path)
	if err == nil {
		if err = json.Unmarshal(b, &p); err != nil {
			err = fmt.Errorf("%s: %w", path, err)
		}
	}
	return &p, err
}

// requiredPackages lists the provider plugins declared ("pulumi": {"resource": true}) by
// the packages in DIR/node_modules and its @scope/ directories, in directory order. Nested
// node_modules are not read (npm hoists); a provider missed here is still found on PATH
// when the program first registers one of its resources.
func requiredPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	modules := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(modules); err != nil {
		return nil, err
	}
	scoped, _ := filepath.Glob(filepath.Join(modules, "@*", "*")) // errors only for bad patterns
	plain, _ := filepath.Glob(filepath.Join(modules, "[^.@]*"))
	var deps []*pulumirpc.PackageDependency
	var errs []error
	for _, d := range append(scoped, plain...) {
		p, err := readPackageJSON(filepath.Join(d, "package.json"))
		if err != nil || !p.Pulumi.Resource {
			continue // not a package, or no provider
		}
		name, version := p.Pulumi.Name, p.Pulumi.Version
		if name == "" {
			if !strings.HasPrefix(p.Name, "@pulumi/") { // only @pulumi/ packages may leave it implicit
				errs = append(errs, fmt.Errorf("%s: \"pulumi\" block has no \"name\"", d))
				continue
			}
			name = strings.TrimPrefix(p.Name, "@pulumi/")
		}
		if version == "" { // the engine reads "1.2.1" and "v1.2.1" alike
			version = p.Version
		}
		dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: p.Pulumi.Server}
		if x := p.Pulumi.Parameterization; x != nil {
			dep.Parameterization = &pulumirpc.PackageParameterization{Name: x.Name, Version: x.Version, Value: x.Value}
		}
		deps = append(deps, dep)
	}
	return deps, errors.Join(errs...)
}
