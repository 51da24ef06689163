package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	remoteCommand = "command:remote:Command"
	localCommand  = "command:local:Command"
)

// kind is the shape an input must have; Check rejects anything else.
type kind struct {
	name string // "a string", ...; "" for an input this provider does not support
	ok   func(resource.PropertyValue) bool
}

var (
	str      = kind{"a string", resource.PropertyValue.IsString}
	boolean  = kind{"a boolean", resource.PropertyValue.IsBool}
	number   = kind{"a number", resource.PropertyValue.IsNumber}
	anything = kind{"anything", func(resource.PropertyValue) bool { return true }}
	object   = kind{"an object", resource.PropertyValue.IsObject} // its fields: connectionInputs
	strs     = kind{"an array of strings", func(v resource.PropertyValue) bool {
		return v.IsArray() && !slices.ContainsFunc(v.ArrayValue(), notString)
	}}
	strMap = kind{"a map of strings", func(v resource.PropertyValue) bool {
		return v.IsObject() && !slices.ContainsFunc(slices.Collect(maps.Values(v.ObjectValue())), notString)
	}}
	unsupported = kind{}
)

// The inputs @pulumi/command 1.2.1 sends, by resource type.
var (
	commonInputs = map[string]kind{"create": str, "update": str, "delete": str, "triggers": anything,
		"environment": strMap, "stdin": str, "logging": str, "addPreviousOutputInEnv": boolean}
	remoteInputs = with(commonInputs, map[string]kind{"connection": object})
	localInputs  = with(commonInputs, map[string]kind{"dir": str, "interpreter": strs,
		"assetPaths": unsupported, "archivePaths": unsupported})
	connectionInputs = map[string]kind{"host": str, "port": number, "user": str, "privateKey": str,
		"password": str, "privateKeyPassword": str, "agentSocketPath": str, "hostKey": str,
		"dialErrorLimit": number, "perDialTimeout": number, "proxy": unsupported}
	loggingValues = []string{"stdout", "stderr", "stdoutAndStderr", "none"}
)

func with(base, extra map[string]kind) map[string]kind {
	m := maps.Clone(base)
	maps.Copy(m, extra)
	return m
}

// notString: neither a string nor unknown (in a preview).
func notString(v resource.PropertyValue) bool {
	v = plain(v)
	return !v.IsString() && !v.IsComputed()
}

// failure is one Check failure: the property and why it was rejected.
type failure struct{ property, reason string }

// check validates the inputs of a resource of type typ. Unknown values (preview) pass.
func check(typ string, news resource.PropertyMap) []failure {
	schema := map[string]map[string]kind{remoteCommand: remoteInputs, localCommand: localInputs}[typ]
	if schema == nil {
		return []failure{{"", fmt.Sprintf("unknown resource type %q: this provider implements %s and %s",
			typ, remoteCommand, localCommand)}}
	}
	fails := checkMap("", schema, news)
	if c := plain(news["connection"]); typ == remoteCommand && c.IsNull() {
		fails = append(fails, failure{"connection", "missing required property"})
	} else if c.IsObject() && plain(c.ObjectValue()["host"]).IsNull() {
		fails = append(fails, failure{"connection.host", "missing required property"})
	}
	return fails
}

func checkMap(prefix string, schema map[string]kind, m resource.PropertyMap) []failure {
	var fails []failure
	for _, key := range m.StableKeys() {
		name, v := prefix+string(key), plain(m[key])
		k, known := schema[string(key)]
		switch {
		case strings.HasPrefix(string(key), "__") || v.IsNull() || v.IsComputed():
		case !known:
			fails = append(fails, failure{name, "unknown property"})
		case k.name == "":
			fails = append(fails, failure{name, "not supported by swarm-macvlan's command provider"})
		case !k.ok(v):
			fails = append(fails, failure{name, fmt.Sprintf("expected %s, got %s", k.name, v.TypeString())})
		case k.name == object.name:
			fails = append(fails, checkMap(name+".", connectionInputs, v.ObjectValue())...)
		case key == "logging" && !slices.Contains(loggingValues, v.StringValue()):
			fails = append(fails, failure{name, "must be one of " + strings.Join(loggingValues, ", ")})
		}
	}
	return fails
}

// plain strips secret markers: the provider needs the values, the engine keeps the markers.
func plain(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

// spec is what running a command needs, read from inputs (create, update) or state (delete).
type spec struct {
	create, update, delete string
	stdin                  string
	env                    map[string]string
	logStdout, logStderr   bool
	prevOutputInEnv        bool
	prevStdout, prevStderr string // the outputs of the previous create or update
	dir                    string
	interpreter            []string
	conn                   *connection // remote only
}

// parse reads a checked property map, applying @pulumi/command's defaults.
func parse(m resource.PropertyMap) spec {
	text := func(m resource.PropertyMap, k string) string {
		if v := plain(m[resource.PropertyKey(k)]); v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	integer := func(m resource.PropertyMap, k string, def int) int {
		if v := plain(m[resource.PropertyKey(k)]); v.IsNumber() {
			return int(v.NumberValue())
		}
		return def
	}
	logging, prevOutput := text(m, "logging"), plain(m["addPreviousOutputInEnv"])
	s := spec{
		create: text(m, "create"), update: text(m, "update"), delete: text(m, "delete"),
		stdin: text(m, "stdin"), dir: text(m, "dir"),
		logStdout:       logging == "" || logging == "stdout" || logging == "stdoutAndStderr",
		logStderr:       logging == "" || logging == "stderr" || logging == "stdoutAndStderr",
		prevOutputInEnv: !prevOutput.IsBool() || prevOutput.BoolValue(),
		prevStdout:      text(m, "stdout"), prevStderr: text(m, "stderr"),
		env: map[string]string{},
	}
	if v := plain(m["environment"]); v.IsObject() {
		for k, e := range v.ObjectValue() {
			s.env[string(k)] = plain(e).StringValue()
		}
	}
	if v := plain(m["interpreter"]); v.IsArray() {
		for _, e := range v.ArrayValue() {
			s.interpreter = append(s.interpreter, plain(e).StringValue())
		}
	}
	if v := plain(m["connection"]); v.IsObject() {
		c := v.ObjectValue()
		s.conn = &connection{
			host: text(c, "host"), port: integer(c, "port", 22), user: text(c, "user"),
			privateKey: text(c, "privateKey"), password: text(c, "password"),
			privateKeyPassword: text(c, "privateKeyPassword"), agentSocketPath: text(c, "agentSocketPath"),
			hostKey: text(c, "hostKey"), dialErrorLimit: integer(c, "dialErrorLimit", 10),
			perDialTimeout: integer(c, "perDialTimeout", 15),
		}
		if s.conn.user == "" {
			s.conn.user = "root"
		}
	}
	return s
}

// outputs are the inputs plus stdout and stderr. The connection is always a secret, as upstream
// marks it, even if a caller sent it in the clear.
func outputs(news resource.PropertyMap, stdout, stderr resource.PropertyValue) resource.PropertyMap {
	out := news.Copy()
	if c, ok := out["connection"]; ok && !c.IsSecret() && !c.IsNull() {
		out["connection"] = resource.MakeSecret(c)
	}
	out["stdout"], out["stderr"] = stdout, stderr
	return out
}
