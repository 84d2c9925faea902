package client

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestLoadCredentials(t *testing.T) {
	const (
		profiles = "[DEFAULT]\nncloud_access_key_id = FILEAK\nncloud_secret_access_key = FILESK\nncloud_api_url = https://ncloud.apigw.ntruss.com\n\n" +
			"; a comment\n# another\n[work]\nncloud_access_key_id=WORKAK\nncloud_secret_access_key: \"WORKSK\"\n"
	)
	tests := []struct {
		name    string
		env     map[string]string
		file    *string // nil: no file
		noHome  bool
		want    Credentials
		wantErr string
	}{
		{
			name: "environment primary names",
			env:  map[string]string{"NCLOUD_ACCESS_KEY": "AK", "NCLOUD_SECRET_KEY": "SK"},
			want: Credentials{AccessKey: "AK", SecretKey: "SK", Source: "environment (NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY)"},
		},
		{
			name: "environment alternative names",
			env:  map[string]string{"NCLOUD_ACCESS_KEY_ID": "AK2", "NCLOUD_SECRET_ACCESS_KEY": "SK2"},
			want: Credentials{AccessKey: "AK2", SecretKey: "SK2", Source: "environment (NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY)"},
		},
		{
			name: "first name wins over the alternative",
			env: map[string]string{"NCLOUD_ACCESS_KEY": "AK", "NCLOUD_ACCESS_KEY_ID": "AK2",
				"NCLOUD_SECRET_KEY": "SK", "NCLOUD_SECRET_ACCESS_KEY": "SK2"},
			want: Credentials{AccessKey: "AK", SecretKey: "SK", Source: "environment (NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY)"},
		},
		{
			name: "empty variable counts as unset",
			env:  map[string]string{"NCLOUD_ACCESS_KEY": "", "NCLOUD_ACCESS_KEY_ID": "AK2", "NCLOUD_SECRET_KEY": "SK"},
			want: Credentials{AccessKey: "AK2", SecretKey: "SK", Source: "environment (NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_KEY)"},
		},
		{
			name: "environment wins over the file",
			env:  map[string]string{"NCLOUD_ACCESS_KEY": "AK", "NCLOUD_SECRET_KEY": "SK"},
			file: ptr(profiles),
			want: Credentials{AccessKey: "AK", SecretKey: "SK", Source: "environment (NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY)"},
		},
		{
			name:    "only the access key in the environment",
			env:     map[string]string{"NCLOUD_ACCESS_KEY": "AK"},
			file:    ptr(profiles),
			wantErr: "incomplete NCP credentials in the environment: NCLOUD_ACCESS_KEY is set but the secret key is not; set NCLOUD_SECRET_KEY (or NCLOUD_SECRET_ACCESS_KEY)",
		},
		{
			name:    "only the secret in the environment",
			env:     map[string]string{"NCLOUD_SECRET_ACCESS_KEY": "SECRET-VALUE"},
			wantErr: "incomplete NCP credentials in the environment: NCLOUD_SECRET_ACCESS_KEY is set but the access key is not; set NCLOUD_ACCESS_KEY (or NCLOUD_ACCESS_KEY_ID)",
		},
		{
			name: "file default profile",
			file: ptr(profiles),
			want: Credentials{AccessKey: "FILEAK", SecretKey: "FILESK", Source: "$HOME/.ncloud/configure [DEFAULT]"},
		},
		{
			name: "file profile picked by NCLOUD_PROFILE, quotes and colon",
			env:  map[string]string{"NCLOUD_PROFILE": "work"},
			file: ptr(profiles),
			want: Credentials{AccessKey: "WORKAK", SecretKey: "WORKSK", Source: "$HOME/.ncloud/configure [work]"},
		},
		{
			name: "keys before any section are DEFAULT, keys case-insensitive, CRLF and BOM",
			file: ptr("\ufeffNCLOUD_ACCESS_KEY_ID = A\r\nncloud_secret_access_key = S\r\n"),
			want: Credentials{AccessKey: "A", SecretKey: "S", Source: "$HOME/.ncloud/configure [DEFAULT]"},
		},
		{
			name: "inline comments after white space are cut, as configparser's inline_comment_prefixes do",
			file: ptr("[DEFAULT]\nncloud_access_key_id = AK ; the old one\nncloud_secret_access_key = SK\t# rotated 2026-01\nncloud_api_url = # none\n"),
			want: Credentials{AccessKey: "AK", SecretKey: "SK", Source: "$HOME/.ncloud/configure [DEFAULT]"},
		},
		{
			name: "a # or ; inside a value stays",
			file: ptr("[DEFAULT]\nncloud_access_key_id = A;K\nncloud_secret_access_key = S#K\n"),
			want: Credentials{AccessKey: "A;K", SecretKey: "S#K", Source: "$HOME/.ncloud/configure [DEFAULT]"},
		},
		{
			name:    "white space in a key is an error that names the line, not the value",
			file:    ptr("[DEFAULT]\nncloud_access_key_id = AK\nncloud_secret_access_key = SECRET-VALUE (work)\n"),
			wantErr: `$HOME/.ncloud/configure:3: ncloud_secret_access_key holds white space, which an NCP key never does: leave only the key on the line (a comment goes after " #" or " ;", or on its own line)`,
		},
		{
			name:    "no environment and no file",
			wantErr: "no NCP credentials: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment, or ncloud_access_key_id and ncloud_secret_access_key under [DEFAULT] in $HOME/.ncloud/configure",
		},
		{
			name:    "no environment and no home",
			noHome:  true,
			wantErr: "no NCP credentials: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment",
		},
		{
			name:    "empty file",
			file:    ptr("# nothing\n"),
			wantErr: "no NCP credentials: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment, or ncloud_access_key_id and ncloud_secret_access_key under [DEFAULT] in $HOME/.ncloud/configure",
		},
		{
			name:    "unknown profile",
			env:     map[string]string{"NCLOUD_PROFILE": "prod"},
			file:    ptr(profiles),
			wantErr: "$HOME/.ncloud/configure: no profile [prod] (NCLOUD_PROFILE picks it; the file has DEFAULT, work); no NCP credentials: set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment, or ncloud_access_key_id and ncloud_secret_access_key under [prod] in $HOME/.ncloud/configure",
		},
		{
			name:    "profile without the secret",
			file:    ptr("[DEFAULT]\nncloud_access_key_id = A\n"),
			wantErr: "$HOME/.ncloud/configure:1: profile [DEFAULT] has ncloud_access_key_id but no ncloud_secret_access_key; add it or set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment",
		},
		{
			name:    "profile without the access key",
			file:    ptr("\n[DEFAULT]\nncloud_secret_access_key = SECRET-VALUE\n"),
			wantErr: "$HOME/.ncloud/configure:2: profile [DEFAULT] has ncloud_secret_access_key but no ncloud_access_key_id; add it or set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment",
		},
		{
			name:    "profile with neither key",
			file:    ptr("[DEFAULT]\nncloud_api_url = x\n"),
			wantErr: "$HOME/.ncloud/configure:1: profile [DEFAULT] has neither ncloud_access_key_id nor ncloud_secret_access_key; add them or set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment",
		},
		{
			name:    "malformed line is located and not quoted",
			file:    ptr("[DEFAULT]\nncloud_access_key_id = A\nSECRET-VALUE\n"),
			wantErr: "$HOME/.ncloud/configure:3: expected [section] or key = value",
		},
		{
			name:    "unterminated section header",
			file:    ptr("[DEFAULT\n"),
			wantErr: "$HOME/.ncloud/configure:1: a section header must be [name] alone on its line",
		},
		{
			name:    "empty section name",
			file:    ptr("[ ]\n"),
			wantErr: "$HOME/.ncloud/configure:1: empty section name []",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			if tt.file != nil {
				if err := os.MkdirAll(filepath.Join(home, ".ncloud"), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(home, ".ncloud", "configure"), []byte(*tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tt.noHome {
				home = ""
			}
			lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			got, err := LoadCredentials(lookup, home)
			if home != "" {
				got.Source = strings.ReplaceAll(got.Source, home, "$HOME")
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("LoadCredentials() = %v, want error %q", got, tt.wantErr)
				}
				msg := err.Error()
				if home != "" {
					msg = strings.ReplaceAll(msg, home, "$HOME")
				}
				if msg != tt.wantErr {
					t.Fatalf("error\n got: %s\nwant: %s", msg, tt.wantErr)
				}
				if strings.Contains(msg, "SECRET-VALUE") {
					t.Fatalf("error holds the secret: %s", msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadCredentials() error: %v", err)
			}
			if got != tt.want {
				t.Fatalf("LoadCredentials() = %#v, want %#v (secrets %q, %q)", got, tt.want, got.SecretKey, tt.want.SecretKey)
			}
		})
	}
}

func TestLoadCredentialsUnreadableFile(t *testing.T) {
	home := t.TempDir()
	// A directory where the file should be cannot be read.
	if err := os.MkdirAll(filepath.Join(home, ".ncloud", "configure"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCredentials(func(string) (string, bool) { return "", false }, home)
	want := "reading NCP credentials: " + filepath.Join(home, ".ncloud", "configure") + " is not a regular file: it is a directory"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func TestParseConfigureLongLine(t *testing.T) {
	data := "[DEFAULT]\nx = " + strings.Repeat("y", maxConfigureLine) + "\n"
	_, err := parseConfigure([]byte(data))
	if want := "2: a line is longer than 1048576 bytes"; err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func ptr[T any](v T) *T { return &v }

func FuzzParseConfigure(f *testing.F) {
	f.Add([]byte("[DEFAULT]\nncloud_access_key_id = A\nncloud_secret_access_key = S\n"))
	f.Add([]byte("\ufeffk=v\r\n[x]\n;c\n#c\nk: 'v'\n[x]\nk2=\"\"\n"))
	f.Add([]byte("[\n]\n=\n:x\n[a]b\n"))
	f.Add([]byte("[p]\nk = v ; c # d\nk2=a;b\tc #\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sections, err := parseConfigure(data)
		if err != nil {
			if sections != nil {
				t.Fatalf("sections %v with error %v", sections, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, s := range sections {
			if s.name == "" || seen[s.name] || s.line < 1 || s.keys == nil {
				t.Fatalf("bad section %+v in %v", s, sections)
			}
			seen[s.name] = true
			for k, v := range s.keys {
				if k == "" || k != strings.ToLower(k) {
					t.Fatalf("bad key %q", k)
				}
				if strings.Contains(v, " #") || strings.Contains(v, " ;") || strings.Contains(v, "\t#") || strings.Contains(v, "\t;") {
					t.Fatalf("value %q of %q keeps an inline comment", v, k)
				}
				if s.lines[k] < 1 {
					t.Fatalf("key %q has no line", k)
				}
			}
		}
	})
}

// A named pipe where the configure file should be is refused at once: an
// ordinary read would wait for a writer forever.
func TestLoadCredentialsNamedPipe(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".ncloud", "configure")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	defer func() { // wakes a reader stuck on the pipe
		if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
			_ = f.Close()
		}
	}()
	_, err := LoadCredentials(func(string) (string, bool) { return "", false }, home)
	want := "reading NCP credentials: " + path + " is not a regular file: it is a named pipe (FIFO)"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

// CredentialValues gives every key the environment and the configure
// file's profile hold, complete pairs or not, and never fails.
func TestCredentialValues(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ncloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	file := "[DEFAULT]\nncloud_access_key_id = FILEAK\nncloud_secret_access_key = FILESK\n[work]\nncloud_secret_access_key = WORKSK\n"
	if err := os.WriteFile(filepath.Join(home, ".ncloud", "configure"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		home string
		want string
	}{
		{"nothing", nil, "", ""},
		{"a half pair in the environment", map[string]string{"NCLOUD_SECRET_KEY": "SK"}, "", "SK"},
		{"every variable and the file", map[string]string{"NCLOUD_ACCESS_KEY": "AK", "NCLOUD_ACCESS_KEY_ID": "AK2", "NCLOUD_SECRET_KEY": "SK", "NCLOUD_SECRET_ACCESS_KEY": "SK2"}, home, "AK AK2 SK SK2 FILEAK FILESK"},
		{"the profile named", map[string]string{"NCLOUD_PROFILE": "work"}, home, "WORKSK"},
		{"a profile the file lacks", map[string]string{"NCLOUD_PROFILE": "none"}, home, ""},
		{"no file", nil, t.TempDir(), ""},
	} {
		got := CredentialValues(func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }, c.home)
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %q, want %s", c.name, got, c.want)
		}
	}
}
