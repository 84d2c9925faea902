package client

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/specrun/specrun/internal/inputfile"
)

// Environment variables and configure-file keys read by LoadCredentials.
const (
	EnvAccessKey      = "NCLOUD_ACCESS_KEY"
	EnvAccessKeyAlt   = "NCLOUD_ACCESS_KEY_ID"
	EnvSecretKey      = "NCLOUD_SECRET_KEY"
	EnvSecretKeyAlt   = "NCLOUD_SECRET_ACCESS_KEY"
	EnvProfile        = "NCLOUD_PROFILE"
	DefaultProfile    = "DEFAULT"
	fileKeyAccessKey  = "ncloud_access_key_id"
	fileKeySecretKey  = "ncloud_secret_access_key"
	configureFileName = ".ncloud/configure"
	maxConfigureLine  = 1 << 20
)

// LoadCredentials finds the NCP API key pair the way NCP tools do.
//
// The environment comes first: the access key from NCLOUD_ACCESS_KEY, else
// NCLOUD_ACCESS_KEY_ID; the secret from NCLOUD_SECRET_KEY, else
// NCLOUD_SECRET_ACCESS_KEY (an empty value counts as unset). When neither
// half is in the environment, it reads home/.ncloud/configure, an INI file
// whose profile (section) is named by NCLOUD_PROFILE, default DEFAULT, with the
// keys ncloud_access_key_id and ncloud_secret_access_key. A named profile does
// not inherit from [DEFAULT]. An empty home skips the file.
//
// lookupEnv is os.LookupEnv in production. The result's Source says where the
// pair came from. Errors name what to set and where; they never contain the
// secret, nor any text of the file.
func LoadCredentials(lookupEnv func(string) (string, bool), home string) (Credentials, error) {
	access, accessVar := firstEnv(lookupEnv, EnvAccessKey, EnvAccessKeyAlt)
	secret, secretVar := firstEnv(lookupEnv, EnvSecretKey, EnvSecretKeyAlt)
	switch {
	case access != "" && secret != "":
		return Credentials{
			AccessKey: access,
			SecretKey: secret,
			Source:    "environment (" + accessVar + ", " + secretVar + ")",
		}, nil
	case access != "":
		return Credentials{}, fmt.Errorf("incomplete NCP credentials in the environment: %s is set but the secret key is not; set %s (or %s)",
			accessVar, EnvSecretKey, EnvSecretKeyAlt)
	case secret != "":
		return Credentials{}, fmt.Errorf("incomplete NCP credentials in the environment: %s is set but the access key is not; set %s (or %s)",
			secretVar, EnvAccessKey, EnvAccessKeyAlt)
	}

	profile := profileName(lookupEnv)
	missing := fmt.Sprintf("no NCP credentials: set %s and %s in the environment", EnvAccessKey, EnvSecretKey)
	if home == "" {
		return Credentials{}, errors.New(missing)
	}
	path := filepath.Join(home, filepath.FromSlash(configureFileName))
	missing += fmt.Sprintf(", or %s and %s under [%s] in %s", fileKeyAccessKey, fileKeySecretKey, profile, path)
	// A named pipe or a device there must not block or exhaust the run.
	data, err := inputfile.Read(path, inputfile.MaxSize)
	if errors.Is(err, fs.ErrNotExist) {
		return Credentials{}, errors.New(missing)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("reading NCP credentials: %w", err)
	}
	return credentialsFromFile(path, data, profile, missing)
}

// profileName is the profile of the configure file to read.
func profileName(lookupEnv func(string) (string, bool)) string {
	profile, _ := lookupEnv(EnvProfile)
	if profile = strings.TrimSpace(profile); profile == "" {
		return DefaultProfile
	}
	return profile
}

// CredentialValues lists every value LoadCredentials may read as a key,
// whether it makes a complete pair or not: those of the four environment
// variables and the two keys of the profile in home/.ncloud/configure
// (when that file reads). It is for redaction, where the credentials must
// be known before they are needed, or even when they are unusable; it
// never fails and never requires them.
func CredentialValues(lookupEnv func(string) (string, bool), home string) []string {
	var out []string
	for _, n := range []string{EnvAccessKey, EnvAccessKeyAlt, EnvSecretKey, EnvSecretKeyAlt} {
		if v, ok := lookupEnv(n); ok && v != "" {
			out = append(out, v)
		}
	}
	if home == "" {
		return out
	}
	data, err := inputfile.Read(filepath.Join(home, filepath.FromSlash(configureFileName)), inputfile.MaxSize)
	if err != nil {
		return out
	}
	sections, err := parseConfigure(data)
	if err != nil {
		return out
	}
	profile := profileName(lookupEnv)
	for _, sec := range sections {
		if sec.name != profile {
			continue
		}
		for _, k := range []string{fileKeyAccessKey, fileKeySecretKey} {
			if v := sec.keys[k]; v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// firstEnv returns the first non-empty variable of names and its name.
func firstEnv(lookupEnv func(string) (string, bool), names ...string) (value, name string) {
	for _, n := range names {
		if v, ok := lookupEnv(n); ok && v != "" {
			return v, n
		}
	}
	return "", ""
}

// credentialsFromFile picks profile out of the configure file data.
func credentialsFromFile(path string, data []byte, profile, missing string) (Credentials, error) {
	sections, err := parseConfigure(data)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s:%w", path, err)
	}
	var sec *iniSection
	for i := range sections {
		if sections[i].name == profile {
			sec = &sections[i]
		}
	}
	if sec == nil {
		if len(sections) == 0 {
			return Credentials{}, errors.New(missing)
		}
		names := make([]string, len(sections))
		for i, s := range sections {
			names[i] = s.name
		}
		return Credentials{}, fmt.Errorf("%s: no profile [%s] (%s picks it; the file has %s); %s",
			path, profile, EnvProfile, strings.Join(names, ", "), missing)
	}
	access, secret := sec.keys[fileKeyAccessKey], sec.keys[fileKeySecretKey]
	where := fmt.Sprintf("%s:%d: profile [%s]", path, sec.line, profile)
	switch {
	case access == "" && secret == "":
		return Credentials{}, fmt.Errorf("%s has neither %s nor %s; add them or set %s and %s in the environment",
			where, fileKeyAccessKey, fileKeySecretKey, EnvAccessKey, EnvSecretKey)
	case secret == "":
		return Credentials{}, fmt.Errorf("%s has %s but no %s; add it or set %s and %s in the environment",
			where, fileKeyAccessKey, fileKeySecretKey, EnvAccessKey, EnvSecretKey)
	case access == "":
		return Credentials{}, fmt.Errorf("%s has %s but no %s; add it or set %s and %s in the environment",
			where, fileKeySecretKey, fileKeyAccessKey, EnvAccessKey, EnvSecretKey)
	}
	for _, k := range []string{fileKeyAccessKey, fileKeySecretKey} {
		if strings.ContainsFunc(sec.keys[k], unicode.IsSpace) {
			return Credentials{}, fmt.Errorf("%s:%d: %s holds white space, which an NCP key never does: leave only the key on the line (a comment goes after \" #\" or \" ;\", or on its own line)",
				path, sec.lines[k], k)
		}
	}
	return Credentials{AccessKey: access, SecretKey: secret, Source: path + " [" + profile + "]"}, nil
}

// iniSection is one [name] of a configure file with its key = value pairs
// (keys lower-cased; a later duplicate wins) and the line of each.
type iniSection struct {
	name  string
	line  int
	keys  map[string]string
	lines map[string]int
}

// stripInlineComment cuts a value at the first "#" or ";" that follows
// white space, as Python's configparser does with inline_comment_prefixes
// set: "KEY ; old key" is KEY. A "#" or ";" inside a value ("a;b") stays.
func stripInlineComment(v string) string {
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return v[:i]
		}
	}
	return v
}

// parseConfigure parses the INI dialect of ~/.ncloud/configure: [section]
// lines, "key = value" or "key: value" lines, blank lines, comments
// starting with # or ;, and inline comments after a value (" # ..." or
// " ; ...", after white space). A section repeated later continues the first. Keys
// before any section belong to DEFAULT. Errors are "LINE: message" and never
// quote the line, which may hold a secret.
func parseConfigure(data []byte) ([]iniSection, error) {
	var sections []iniSection
	cur := -1
	open := func(name string, line int) {
		for i := range sections {
			if sections[i].name == name {
				cur = i
				return
			}
		}
		sections = append(sections, iniSection{name: name, line: line, keys: map[string]string{}, lines: map[string]int{}})
		cur = len(sections) - 1
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxConfigureLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			name, err := sectionName(line, n)
			if err != nil {
				return nil, err
			}
			open(name, n)
			continue
		}
		key, val, err := keyValue(line, n)
		if err != nil {
			return nil, err
		}
		if cur < 0 {
			open(DefaultProfile, n)
		}
		sections[cur].keys[key] = val
		sections[cur].lines[key] = n
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%d: a line is longer than %d bytes", n+1, maxConfigureLine)
	}
	return sections, nil
}

// sectionName reads the "[name]" header on line n.
func sectionName(line string, n int) (string, error) {
	end := strings.IndexByte(line, ']')
	if end < 0 || strings.TrimSpace(line[end+1:]) != "" {
		return "", fmt.Errorf("%d: a section header must be [name] alone on its line", n)
	}
	name := strings.TrimSpace(line[1:end])
	if name == "" {
		return "", fmt.Errorf("%d: empty section name []", n)
	}
	return name, nil
}

// keyValue reads the "key = value" (or "key: value") on line n: the key in
// lower case, the value without an inline comment and without one pair of
// surrounding quotes.
func keyValue(line string, n int) (key, val string, err error) {
	i := strings.IndexAny(line, "=:")
	if i <= 0 {
		return "", "", fmt.Errorf("%d: expected [section] or key = value", n)
	}
	key = strings.ToLower(strings.TrimSpace(line[:i]))
	val = strings.TrimSpace(stripInlineComment(line[i+1:]))
	if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
		val = val[1 : len(val)-1]
	}
	return key, val, nil
}
