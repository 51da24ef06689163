package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseOptions(t *testing.T) {
	cases := []struct {
		in   map[string]any
		want nodeOptions
		err  string
	}{
		{nil, nodeOptions{typescript: true, nodeargs: []string{}}, ""},
		{map[string]any{"packagemanager": "npm", "production": true}, nodeOptions{typescript: true, nodeargs: []string{}}, ""},
		{
			map[string]any{"typescript": false, "tsconfig": "tsconfig.build.json", "nodeargs": "--max-old-space-size=4096 --no-warnings"},
			nodeOptions{tsconfig: "tsconfig.build.json", nodeargs: []string{"--max-old-space-size=4096", "--no-warnings"}},
			"",
		},
		{map[string]any{"typescript": "yes"}, nodeOptions{}, "runtime option typescript must be a boolean, got yes"},
		{map[string]any{"tsconfig": 3.0}, nodeOptions{}, "runtime option tsconfig must be a string, got 3"},
		{map[string]any{"nodeargs": "--x='a b'"}, nodeOptions{}, `runtime option nodeargs: quotes and backslashes are not supported: "--x='a b'"`},
		{map[string]any{"nodeargs": " -a\t-b\n"}, nodeOptions{typescript: true, nodeargs: []string{"-a", "-b"}}, ""},
	}
	for _, c := range cases {
		got, err := parseOptions(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("parseOptions(%v): error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseOptions(%v) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func fullRequest(t *testing.T) *pulumirpc.RunRequest {
	return &pulumirpc.RunRequest{
		Project:          "swarm-macvlan",
		Stack:            "dev",
		Pwd:              "/src/app",
		Program:          "old-entry",
		Args:             []string{"extra", "--flag"},
		Config:           map[string]string{"swarm-macvlan:x": "y", "aws:region": "eu-west-1"},
		ConfigSecretKeys: []string{"swarm-macvlan:x"},
		DryRun:           true,
		Parallel:         16,
		MonitorAddress:   "127.0.0.1:4001",
		Organization:     "organization",
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    "/src/app",
			ProgramDirectory: "/src/app/prog",
			EntryPoint:       "index.ts",
			Options:          mustStruct(t, map[string]any{"typescript": true}),
		},
	}
}

func TestRunArgv(t *testing.T) {
	opts := nodeOptions{typescript: true, nodeargs: []string{"--no-warnings"}}
	got := runArgv(fullRequest(t), opts, "/nm/@pulumi/pulumi/cmd/run/index.js", "127.0.0.1:4000", "http://zipkin")
	want := []string{
		"--no-warnings", "/nm/@pulumi/pulumi/cmd/run/index.js",
		"--monitor", "127.0.0.1:4001",
		"--engine", "127.0.0.1:4000",
		"--organization", "organization",
		"--project", "swarm-macvlan",
		"--root-directory", "/src/app",
		"--stack", "dev",
		"--pwd", "/src/app/prog",
		"--dry-run",
		"--parallel", "16",
		"--tracing", "http://zipkin",
		"index.ts", "extra", "--flag",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runArgv:\n got %q\nwant %q", got, want)
	}

	// An engine that sends no ProgramInfo, no engine address, not a dry run.
	minimal := &pulumirpc.RunRequest{Project: "p", Stack: "s", Pwd: "/w", MonitorAddress: "m:1"}
	got = runArgv(minimal, nodeOptions{}, "run.js", "", "")
	want = []string{"run.js", "--monitor", "m:1", "--project", "p", "--stack", "s", "--pwd", "/w", "--parallel", "0", "."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runArgv(minimal):\n got %q\nwant %q", got, want)
	}
}

func TestRunEnv(t *testing.T) {
	base := []string{"PATH=/bin", "PULUMI_CONFIG=stale"}
	got := runEnv(base, fullRequest(t), nodeOptions{typescript: true, tsconfig: "tsconfig.x.json"})
	want := []string{
		"PATH=/bin", "PULUMI_CONFIG=stale",
		`PULUMI_CONFIG={"aws:region":"eu-west-1","swarm-macvlan:x":"y"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["swarm-macvlan:x"]`,
		"PULUMI_NODEJS_TYPESCRIPT=true",
		"PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.x.json",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runEnv:\n got %q\nwant %q", got, want)
	}
	if base[1] != "PULUMI_CONFIG=stale" || len(base) != 2 {
		t.Errorf("runEnv changed its base: %q", base)
	}

	got = runEnv(nil, &pulumirpc.RunRequest{}, nodeOptions{})
	want = []string{"PULUMI_CONFIG={}", "PULUMI_CONFIG_SECRET_KEYS=[]"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runEnv(empty) = %q; want %q", got, want)
	}
}

func TestRunResult(t *testing.T) {
	run := func(script string) error { return exec.Command("/bin/sh", "-c", script).Run() }
	lingering := exec.Command("/bin/sh", "-c", "sleep 3 & exit 0") // sleep keeps stdout open
	lingering.Stdout, lingering.WaitDelay = &strings.Builder{}, 100*time.Millisecond
	cases := []struct {
		err  error
		want *pulumirpc.RunResponse
	}{
		{run("exit 0"), &pulumirpc.RunResponse{}},
		{lingering.Run(), &pulumirpc.RunResponse{}},
		{run("exit 32"), &pulumirpc.RunResponse{Bail: true}},
		{run("exit 1"), &pulumirpc.RunResponse{Error: "Program exited with non-zero exit code: 1"}},
		{run("kill -9 $$"), &pulumirpc.RunResponse{Error: "Program exited unexpectedly: signal: killed"}},
		{exec.Command("/nonexistent/node").Run(), &pulumirpc.RunResponse{
			Error: "could not run the program with node: fork/exec /nonexistent/node: no such file or directory"}},
	}
	for i, c := range cases {
		if got := runResult(c.err); !proto.Equal(got, c.want) {
			t.Errorf("case %d: runResult(%v) = %v; want %v", i, c.err, got, c.want)
		}
	}
}

func TestRequiredPackages(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, "node_modules", rel, "package.json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("@pulumi/command", `{"name":"@pulumi/command","version":"1.2.1","pulumi":{"resource":true,"name":"command"}}`)
	write("@pulumi/pulumi", `{"name":"@pulumi/pulumi","version":"3.259.0"}`)
	write("@pulumi/random", `{"name":"@pulumi/random","version":"4.0.0","pulumi":{"resource":true,"server":"https://example"}}`)
	write("third", `{"name":"third","version":"1.0.0","pulumi":{"resource":true}}`)
	write("param", `{"name":"param","version":"0.1.0","pulumi":{"resource":true,"name":"terraform-provider","version":"v0.9.0",`+
		`"parameterization":{"name":"aws","version":"1.0.0","value":"eyJ4IjoxfQ=="}}}`)
	write("yaml", `{"name":"yaml","version":"2.8.1"}`)
	if err := os.MkdirAll(filepath.Join(dir, "node_modules", ".bin"), 0o755); err != nil {
		t.Fatal(err)
	}

	got, err := requiredPackages(dir)
	want := []*pulumirpc.PackageDependency{
		{Name: "command", Kind: "resource", Version: "1.2.1"},
		{Name: "random", Kind: "resource", Version: "4.0.0", Server: "https://example"},
		{Name: "terraform-provider", Kind: "resource", Version: "v0.9.0",
			Parameterization: &pulumirpc.PackageParameterization{Name: "aws", Version: "1.0.0", Value: []byte(`{"x":1}`)}},
	}
	if len(got) != len(want) {
		t.Fatalf("requiredPackages = %v; want %v", got, want)
	}
	for i := range want {
		if !proto.Equal(got[i], want[i]) {
			t.Errorf("requiredPackages[%d] = %v; want %v", i, got[i], want[i])
		}
	}
	wantErr := filepath.Join(dir, "node_modules", "third") + `: "pulumi" block has no "name"`
	if err == nil || err.Error() != wantErr {
		t.Errorf("requiredPackages error = %v; want %q", err, wantErr)
	}

	if _, err := requiredPackages(t.TempDir()); err == nil {
		t.Errorf("requiredPackages of a directory without node_modules: no error")
	}
}

// runGroup, on cancellation, must end the program and everything in its process group,
// including a background child that ignores SIGINT (as `&` children of sh do).
func TestRunGroupCancel(t *testing.T) {
	h := newHost("", "")
	cmd := exec.Command("/bin/sh", "-c", "sleep 30 & sleep 30")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := h.runGroup(ctx, cmd)
	if got := runResult(err).GetError(); got != "Program exited unexpectedly: signal: interrupt" {
		t.Errorf("runGroup error = %q", got)
	}
	for liveMembers(t, cmd.Process.Pid) > 0 {
		if time.Since(start) > 2*time.Second {
			t.Fatalf("process group %d still alive after %v", cmd.Process.Pid, time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The Cancel RPC interrupts running programs too.
	cmd = exec.Command("/bin/sh", "-c", "sleep 30")
	go func() { time.Sleep(100 * time.Millisecond); _, _ = h.Cancel(context.Background(), nil) }()
	if got := runResult(h.runGroup(context.Background(), cmd)).GetError(); got != "Program exited unexpectedly: signal: interrupt" {
		t.Errorf("runGroup after Cancel: error = %q", got)
	}
}

// liveMembers counts the processes of group PGID that are not zombies (a killed orphan
// stays a zombie until init reaps it, which can take a while).
func liveMembers(t *testing.T, pgid int) int {
	out, err := exec.Command("ps", "-eo", "pgid=,stat=").Output()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == strconv.Itoa(pgid) && !strings.HasPrefix(f[1], "Z") {
			n++
		}
	}
	return n
}
