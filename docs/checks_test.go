package docs_test

// Tests of the checks themselves: each is given input that must fail, so a
// check that silently accepts everything is caught.

import (
	"reflect"
	"strings"
	"testing"
)

func TestFences(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []fence
		wantErr string
	}{
		{
			name: "reads the language and content of each block",
			src:  "text\n```yaml\na: 1\n```\n\n```sh\necho hi\n```\n",
			want: []fence{
				{file: "f.md", line: 3, lang: "yaml", text: "a: 1\n"},
				{file: "f.md", line: 7, lang: "sh", text: "echo hi\n"},
			},
		},
		{
			name: "removes the indentation of a block inside a list item",
			src:  "- step:\n\n  ```yaml\n  a:\n    b: 1\n  ```\n",
			want: []fence{{file: "f.md", line: 4, lang: "yaml", text: "a:\n  b: 1\n"}},
		},
		{
			name: "a longer fence holds a shorter one",
			src:  "````md\n```yaml\nx\n```\n````\n",
			want: []fence{{file: "f.md", line: 2, lang: "md", text: "```yaml\nx\n```\n"}},
		},
		{
			name:    "an unclosed block is an error",
			src:     "```yaml\na: 1\n",
			wantErr: "f.md:1: a code block is never closed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fences("f.md", []byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fences =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestYAMLProblems(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "a valid block has no problem", text: "a: 1\nb: [x, y]\n"},
		{name: "several documents are allowed", text: "a: 1\n---\nb: 2\n"},
		{
			name: "a variable inside flow braces does not parse",
			text: "a: 1\nparams: {token: ${token}}\n",
			want: []string{"f.md:10: the yaml block starting here does not parse: yaml: line 1: did not find expected ',' or '}'"},
		},
		{
			name: "a tab indentation does not parse",
			text: "a:\n\tb: 1\n",
			want: []string{"f.md:10: the yaml block starting here does not parse: yaml: line 2: found character that cannot start any token"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := yamlProblems(fence{file: "f.md", line: 10, lang: "yaml", text: tt.text})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("yamlProblems = %q, want %q", got, tt.want)
			}
		})
	}
}

const sampleCLI = "# cli\n\n## run\n\n" +
	"| flag | default | meaning |\n|---|---|---|\n" +
	"| `--parallel N` | 8 | tests |\n| `-v`, `--verbose` | | more |\n" +
	"| `--format console\\|tap` | console | out |\n\n" +
	"| variable | meaning |\n|---|---|\n| `--not-a-flag` | ignored: not a flag table |\n\n" +
	"## validate\n\n| flag | default | meaning |\n|---|---|---|\n| `--var NAME=VALUE` | | set |\n"

func TestFlagTables(t *testing.T) {
	got := flagTables(sampleCLI)
	want := map[string]map[string]bool{
		"run":      {"--parallel": true, "-v": true, "--verbose": true, "--format": true},
		"validate": {"--var": true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flagTables = %v, want %v", got, want)
	}
}

func TestFlagProblems(t *testing.T) {
	known := flagTables(sampleCLI)
	tests := []struct {
		name string
		line string
		want []string
	}{
		{name: "known flags pass", line: "specrun --parallel 4 -v --format=console specs/"},
		{name: "an unknown flag is reported", line: "specrun --paralel 4 specs/",
			want: []string{"f.md:3: specrun run has no flag --paralel in docs/cli.md"}},
		{name: "flags are checked per command", line: "specrun validate --parallel 4 --var a=1 specs/",
			want: []string{"f.md:3: specrun validate has no flag --parallel in docs/cli.md"}},
		{name: "a path to the binary counts", line: `sh '"$GOPATH/bin/specrun" --nope x'`,
			want: []string{"f.md:3: specrun run has no flag --nope in docs/cli.md"}},
		{name: "the command ends at a pipe", line: "specrun specs/ | tee --append log"},
		{name: "the command ends at a comment", line: "./specrun specs/ # --nope"},
		{name: "the command ends at a semicolon", line: "specrun specs/; ls --all"},
		{name: "after -- everything is a path", line: "specrun -- --odd-file-name.yaml"},
		{name: "help is always allowed", line: "specrun validate --help"},
		{name: "go install is not a specrun command", line: "go install github.com/specrun/specrun/cmd/specrun@latest --x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range findCommands("f.md:3", tt.line) {
				got = append(got, flagProblems(c, known)...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBlockCommands(t *testing.T) {
	tests := []struct {
		name string
		f    fence
		want []string
	}{
		{
			name: "a folded YAML scalar is one command line",
			f:    fence{file: "f.md", line: 10, lang: "yaml", text: "run: >-\n  specrun --tags smoke\n  --parallel 2 specs/\n"},
			want: []string{"f.md:10 [--tags smoke --parallel 2 specs/]"},
		},
		{
			name: "an argv list is one command line",
			f:    fence{file: "f.md", line: 10, lang: "yaml", text: "a: 1\ncommand: [specrun, --tags, smoke, /specs]\n"},
			want: []string{"f.md:11 [--tags smoke /specs]"},
		},
		{
			name: "a shell block joins continued lines",
			f:    fence{file: "f.md", line: 20, lang: "sh", text: "echo hi\nspecrun \\\n  --tags smoke specs/\n"},
			want: []string{"f.md:21 [--tags smoke specs/]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range blockCommands(tt.f) {
				got = append(got, c.where+" ["+strings.Join(c.args, " ")+"]")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("commands = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTableKeysAndUndocumented(t *testing.T) {
	design := "| key | meaning |\n|---|---|\n| `package`, `action` | what |\n| `equals` / `not_equals` | eq |\n| `lt`, `lte` | cmp |\n"
	keys := tableKeys(design)
	wantKeys := []string{"package", "action", "equals", "not_equals", "lt", "lte"}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("tableKeys = %q, want %q", keys, wantKeys)
	}
	doc := "`package` and `action`; `equals`, `lt`. not_equals and lte appear, but not as keys"
	if got, want := undocumented(keys, doc), []string{"not_equals", "lte"}; !reflect.DeepEqual(got, want) {
		t.Errorf("undocumented = %q, want %q", got, want)
	}
}

func TestSchemaProperties(t *testing.T) {
	schema := map[string]any{
		"properties": map[string]any{"suite": map[string]any{}, "tests": map[string]any{
			"items": map[string]any{"properties": map[string]any{"name": true}},
		}},
		"$defs": map[string]any{"retry": map[string]any{"properties": map[string]any{"attempts": true}}},
		"oneOf": []any{map[string]any{"properties": map[string]any{"steps": true}}},
	}
	got := map[string]bool{}
	schemaProperties(schema, got)
	want := map[string]bool{"suite": true, "tests": true, "name": true, "attempts": true, "steps": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schemaProperties = %v, want %v", got, want)
	}
}

// FuzzFences checks that the fence reader never panics, and that every block
// it returns lies inside the document and holds no more lines than it.
func FuzzFences(f *testing.F) {
	for _, s := range []string{
		"```yaml\na: 1\n```\n",
		"- x\n\n  ```sh\n  echo\n  ```\n",
		"````md\n```\n````\n",
		"```\nunclosed\n",
		"~~~\n~~~\n",
		"  ```\n```\n  ```\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		blocks, err := fences("f.md", []byte(src))
		if err != nil {
			return
		}
		lines := strings.Count(src, "\n") + 1
		for _, b := range blocks {
			if b.line < 2 || b.line > lines+1 {
				t.Errorf("block at line %d of a %d-line document", b.line, lines)
			}
			if strings.Count(b.text, "\n") > lines {
				t.Errorf("block of %d lines in a %d-line document", strings.Count(b.text, "\n"), lines)
			}
		}
	})
}
