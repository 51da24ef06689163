package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const localURN = "urn:pulumi:dev::proj::command:local:Command::c"

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func mustMarshal(t *testing.T, m resource.PropertyMap) *pulumirpc.CreateRequest {
	t.Helper()
	s, err := marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.CreateRequest{Urn: localURN, Properties: s}
}

func TestDiff(t *testing.T) {
	base := map[string]any{"create": "a", "triggers": []any{"h", 22.0}}
	changed := func(k string, v any) resource.PropertyMap {
		m := props(base)
		m[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
		return m
	}
	for _, tc := range []struct {
		name     string
		news     resource.PropertyMap
		changes  pulumirpc.DiffResponse_DiffChanges
		replaces []string
		kind     pulumirpc.PropertyDiff_Kind
	}{
		{"same", props(base), pulumirpc.DiffResponse_DIFF_NONE, nil, 0},
		{"create", changed("create", "b"), pulumirpc.DiffResponse_DIFF_SOME, nil, pulumirpc.PropertyDiff_UPDATE},
		{"new input", changed("stdin", "x"), pulumirpc.DiffResponse_DIFF_SOME, nil, pulumirpc.PropertyDiff_ADD},
		{"trigger", changed("triggers", []any{"h2", 22.0}), pulumirpc.DiffResponse_DIFF_SOME, []string{"triggers"},
			pulumirpc.PropertyDiff_UPDATE_REPLACE},
		{"secret trigger", changed("triggers", []any{resource.MakeSecret(resource.NewStringProperty("h")), 22.0}),
			pulumirpc.DiffResponse_DIFF_SOME, []string{"triggers"}, pulumirpc.PropertyDiff_UPDATE_REPLACE},
		{"trigger unknown", changed("triggers", resource.MakeComputed(resource.NewStringProperty(""))),
			pulumirpc.DiffResponse_DIFF_SOME, []string{"triggers"}, pulumirpc.PropertyDiff_UPDATE_REPLACE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diff(props(base), tc.news)
			if d.Changes != tc.changes || strings.Join(d.Replaces, ",") != strings.Join(tc.replaces, ",") {
				t.Fatalf("changes %v replaces %v", d.Changes, d.Replaces)
			}
			for k, pd := range d.DetailedDiff {
				if pd.Kind != tc.kind || !pd.InputDiff {
					t.Errorf("%s: %v", k, pd)
				}
			}
		})
	}
}

func TestDiffUsesStateWithoutOldInputs(t *testing.T) {
	olds, _ := marshal(props(map[string]any{"create": "a", "stdout": "x", "stderr": ""}))
	news, _ := marshal(props(map[string]any{"create": "a"}))
	d, err := newProvider(nil, false).Diff(context.Background(), &pulumirpc.DiffRequest{Olds: olds, News: news})
	if err != nil || d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("%v %v", d, err)
	}
}

func TestCheck(t *testing.T) {
	remote := "command:remote:Command"
	unknown := resource.MakeComputed(resource.NewStringProperty(""))
	for _, tc := range []struct {
		typ  string
		in   map[string]any
		want string // "property: reason", "" when valid
	}{
		{remote, map[string]any{"connection": map[string]any{"host": "h"}, "create": "x", "logging": "none"}, ""},
		{remote, map[string]any{"connection": resource.MakeSecret(resource.NewPropertyValue(
			map[string]any{"host": "h", "port": 22.0, "privateKey": unknown}))}, ""},
		{remote, map[string]any{"connection": unknown, "triggers": []any{unknown}}, ""},
		{remote, map[string]any{"create": "x"}, "connection: missing required property"},
		{remote, map[string]any{"connection": map[string]any{"port": 22.0}}, "connection.host: missing required property"},
		{remote, map[string]any{"connection": map[string]any{"host": "h", "proxy": map[string]any{}}},
			"connection.proxy: not supported"},
		{remote, map[string]any{"connection": map[string]any{"host": "h"}, "dir": "/"}, "dir: unknown property"},
		{remote, map[string]any{"connection": map[string]any{"host": "h", "port": "22"}}, "connection.port: expected a number"},
		{remote, map[string]any{"connection": map[string]any{"host": "h"}, "logging": "all"}, "logging: must be one of"},
		{"command:local:Command", map[string]any{"interpreter": []any{"/bin/bash", "-c"}, "environment": map[string]any{"A": "1"}}, ""},
		{"command:local:Command", map[string]any{"interpreter": []any{1.0}}, "interpreter: expected an array of strings"},
		{"command:local:Command", map[string]any{"assetPaths": []any{"*"}}, "assetPaths: not supported"},
		{"command:remote:CopyToRemote", map[string]any{}, ": unknown resource type"},
	} {
		got := ""
		for _, f := range check(tc.typ, props(tc.in)) {
			got += f.property + ": " + f.reason + "\n"
		}
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%v: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Secrets in, secrets out: the engine must never find a secret input in the clear in the state.
func TestCreateKeepsSecrets(t *testing.T) {
	in := props(map[string]any{
		"create":      "printf '%s\\n' \"$GREETING\"; cat",
		"stdin":       resource.MakeSecret(resource.NewStringProperty("from stdin")),
		"environment": map[string]any{"GREETING": resource.MakeSecret(resource.NewStringProperty("hello"))},
		"triggers":    []any{resource.MakeSecret(resource.NewStringProperty("t"))},
	})
	resp, err := newProvider(nil, false).Create(context.Background(), mustMarshal(t, in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := unmarshal(resp.Properties)
	if err != nil {
		t.Fatal(err)
	}
	if got := out["stdout"].StringValue(); got != "hello\nfrom stdin" {
		t.Errorf("stdout %q", got)
	}
	for _, k := range []resource.PropertyKey{"stdin", "environment", "triggers"} {
		if !out[k].DeepEquals(in[k]) {
			t.Errorf("%s: %v, want %v", k, out[k], in[k])
		}
	}
	if !strings.HasPrefix(resp.Id, "c") || len(resp.Id) != len("c")+8 {
		t.Errorf("id %q", resp.Id)
	}
}

func TestConnectionIsAlwaysSecret(t *testing.T) {
	out := outputs(props(map[string]any{"connection": map[string]any{"host": "h"}}),
		resource.NewStringProperty(""), resource.NewStringProperty(""))
	if !out["connection"].IsSecret() {
		t.Fatal("connection not secret")
	}
}

func TestPreviewRunsNothing(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	req := mustMarshal(t, props(map[string]any{"create": "touch " + marker}))
	req.Preview = true
	resp, err := newProvider(nil, false).Create(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := unmarshal(resp.Properties)
	if _, err := os.Stat(marker); err == nil || !out["stdout"].IsComputed() {
		t.Fatalf("preview ran the command or knew its output: %v", out)
	}
}

func TestLocalFailureReportsOutput(t *testing.T) {
	_, err := newProvider(nil, false).Create(context.Background(), mustMarshal(t, props(map[string]any{
		"create": "echo to-out; echo to-err >&2; exit 3",
	})))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"exit status 3", `running "echo to-out;`, "to-out\n", "to-err\n"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestLocalUpdateAndDelete(t *testing.T) {
	dir := t.TempDir()
	p := newProvider(nil, false)
	olds, _ := marshal(props(map[string]any{"create": "echo one", "stdout": "one", "stderr": ""}))
	news, _ := marshal(props(map[string]any{
		"create": "echo two", "update": `echo "was $PULUMI_COMMAND_STDOUT"; pwd`, "dir": dir,
		"interpreter": []any{"/bin/sh", "-e", "-c"}, "delete": `echo "$PULUMI_COMMAND_STDOUT" > gone`,
	}))
	resp, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: localURN, Olds: olds, News: news})
	if err != nil {
		t.Fatal(err)
	}
	state, _ := unmarshal(resp.Properties)
	if got := state["stdout"].StringValue(); got != "was one\n"+dir {
		t.Fatalf("stdout %q", got)
	}
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: localURN, Properties: resp.Properties}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "gone")); string(b) != "was one\n"+dir+"\n" {
		t.Fatalf("delete saw %q", b)
	}
}

func TestCancelStopsCommands(t *testing.T) {
	p := newProvider(nil, false)
	time.AfterFunc(300*time.Millisecond, func() { p.Cancel(context.Background(), nil) })
	start := time.Now()
	_, err := p.Create(context.Background(), mustMarshal(t, props(map[string]any{"create": "sleep 30; echo done"})))
	if err == nil || !strings.Contains(err.Error(), "signal: killed") || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}
