package main

import (
	"cmp"
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// commandProvider serves the resource types of @pulumi/command 1.2.1 that swarm-macvlan uses.
// Check rejects the other types (remote.CopyToRemote, remote.CopyFile) and the inputs not
// implemented here (connection.proxy, local assetPaths/archivePaths); the local.run invoke
// answers Unimplemented.
type commandProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
	host      *provider.HostClient // nil in tests
	cancelled context.Context      // done once the engine calls Cancel
	cancel    context.CancelFunc
	runners   map[string]runner // by resource type
}

// newProvider runs each remote command on a connection of its own, as upstream does, or, when
// pooled, in a session of one connection per host kept for the life of the process (pool.go).
func newProvider(host *provider.HostClient, pooled bool) *commandProvider {
	ctx, cancel := context.WithCancel(context.Background())
	open := opener(freshSession)
	if pooled {
		open = connections.session
	}
	return &commandProvider{host: host, cancelled: ctx, cancel: cancel,
		runners: map[string]runner{remoteCommand: remoteRunner(open), localCommand: runLocal}}
}

// Properties cross the wire with their secret and unknown markers intact, so that outputs
// keep the secret-ness of their inputs.
var wire = plugin.MarshalOptions{KeepSecrets: true, KeepUnknowns: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	return plugin.UnmarshalProperties(s, wire)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, wire)
}

func (p *commandProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *commandProvider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true}, nil
}

// The engine needs no schema to run a program; a valid, minimal one names the package.
func (p *commandProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":"command","version":%q}`, version)}, nil
}

// The provider has no configuration: any is accepted and no change to it matters.
func (p *commandProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *commandProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *commandProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.CheckResponse{Inputs: req.GetNews()}
	for _, f := range check(string(resource.URN(req.GetUrn()).Type()), news) {
		resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Property: f.property, Reason: f.reason})
	}
	return resp, nil
}

func (p *commandProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldInputs := req.GetOldInputs()
	if oldInputs == nil { // an engine that does not send old inputs: the state holds them too
		oldInputs = req.GetOlds()
	}
	olds, err := unmarshal(oldInputs)
	if err != nil {
		return nil, err
	}
	delete(olds, "stdout")
	delete(olds, "stderr")
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	return diff(olds, news), nil
}

// diff: any change to `triggers` replaces the resource, any other change updates it in place.
func diff(olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, HasDetailedDiff: true,
		DetailedDiff: map[string]*pulumirpc.PropertyDiff{}}
	d := olds.Diff(news, resource.IsInternalPropertyKey)
	if d == nil {
		return resp
	}
	resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	for _, k := range d.ChangedKeys() {
		kind, replace := pulumirpc.PropertyDiff_UPDATE, pulumirpc.PropertyDiff_UPDATE_REPLACE
		if d.Added(k) {
			kind, replace = pulumirpc.PropertyDiff_ADD, pulumirpc.PropertyDiff_ADD_REPLACE
		} else if d.Deleted(k) {
			kind, replace = pulumirpc.PropertyDiff_DELETE, pulumirpc.PropertyDiff_DELETE_REPLACE
		}
		if k == "triggers" {
			kind = replace
			resp.Replaces = append(resp.Replaces, string(k))
		}
		resp.Diffs = append(resp.Diffs, string(k))
		resp.DetailedDiff[string(k)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return resp
}

// Create runs `create`, if any. If it fails, nothing is recorded: the next `up` creates again.
func (p *commandProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	news, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	urn, s := resource.URN(req.GetUrn()), parse(news)
	stdout, stderr, err := p.run(ctx, urn, s.create, s, req.GetPreview())
	if err != nil {
		return nil, err
	}
	id := ""
	if !req.GetPreview() {
		if id, err = resource.NewUniqueHex(urn.Name(), 8, 0); err != nil {
			return nil, err
		}
	}
	props, err := marshal(outputs(news, stdout, stderr))
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, err
}

// Update runs `update`, else `create`, with the new inputs; PULUMI_COMMAND_STDOUT/STDERR carry
// the previous outputs, which stay if neither command is set. A failure keeps the old state.
func (p *commandProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	s := parse(news)
	s.prevStdout, s.prevStderr = parse(olds).prevStdout, parse(olds).prevStderr
	stdout, stderr := olds["stdout"], olds["stderr"]
	if command := cmp.Or(s.update, s.create); command != "" {
		if stdout, stderr, err = p.run(ctx, resource.URN(req.GetUrn()), command, s, req.GetPreview()); err != nil {
			return nil, err
		}
	}
	props, err := marshal(outputs(news, stdout, stderr))
	return &pulumirpc.UpdateResponse{Properties: props}, err
}

// Delete runs the `delete` of the state (with its connection, stdin, environment).
func (p *commandProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	state, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	s := parse(state)
	_, _, err = p.run(ctx, resource.URN(req.GetUrn()), s.delete, s, false)
	return &emptypb.Empty{}, err
}

// Read returns the state as it is: like upstream, a refresh never looks at the host.
func (p *commandProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Cancel stops the commands in flight (the engine is shutting down).
func (p *commandProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.cancel()
	return &emptypb.Empty{}, nil
}

// run runs command (none if empty) for the resource urn; in a preview it runs nothing and
// the outputs are unknown.
func (p *commandProvider) run(ctx context.Context, urn resource.URN, command string, s spec, preview bool,
) (stdout, stderr resource.PropertyValue, err error) {
	if preview {
		unknown := resource.MakeComputed(resource.NewStringProperty(""))
		return unknown, unknown, nil
	}
	out, errOut := "", ""
	if command != "" {
		ctx, cancel := context.WithCancel(ctx)
		defer context.AfterFunc(p.cancelled, cancel)()
		defer cancel()
		out, errOut, err = p.runners[string(urn.Type())](ctx, command, s, p.logger(ctx, urn))
	}
	return resource.NewStringProperty(out), resource.NewStringProperty(errOut), err
}

// logger sends a command's output lines as status messages (shown while the resource runs,
// like upstream's) and warnings as lasting messages.
func (p *commandProvider) logger(ctx context.Context, urn resource.URN) logger {
	if p.host == nil {
		return logger{info: func(string) {}, warn: func(string) {}}
	}
	return logger{
		info: func(msg string) { _ = p.host.LogStatus(ctx, diag.Info, urn, msg) },
		warn: func(msg string) { _ = p.host.Log(ctx, diag.Warning, urn, msg) },
	}
}
