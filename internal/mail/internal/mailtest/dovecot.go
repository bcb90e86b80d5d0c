package mailtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

// DovecotPackages are the Debian packages that provide the dovecot binary
// with IMAP and POP3.
const DovecotPackages = "dovecot-imapd dovecot-pop3d"

// requireDovecotEnv, set to 1, turns a missing dovecot binary into a test
// failure instead of a skip, so that CI cannot skip the mailbox tests.
const requireDovecotEnv = "PLUGIT_TEST_DOVECOT"

// Dovecot is a Dovecot server on 127.0.0.1 with one user and one inbox,
// serving IMAP and POP3 in clear text, with STARTTLS/STLS, and over
// implicit TLS.
type Dovecot struct {
	IMAPAddr, IMAPSAddr string
	POP3Addr, POP3SAddr string
	User, Password      string
	// Cert is the server's certificate; Cert.Client trusts it.
	Cert *Certificate

	dir string
}

// StartDovecot starts Dovecot with a configuration of its own in a new
// temporary folder, and stops it when the test ends. It skips the test
// when dovecot is not installed, unless PLUGIT_TEST_DOVECOT=1.
func StartDovecot(t testing.TB) *Dovecot {
	t.Helper()

	binary := findDovecot(t)
	d := &Dovecot{User: "replies", Password: randomHex(t), Cert: NewCertificate(t)}
	d.dir = newSharedTempDir(t)

	ports := freePorts(t, 4)
	d.IMAPAddr, d.IMAPSAddr = ports[0], ports[1]
	d.POP3Addr, d.POP3SAddr = ports[2], ports[3]

	d.writeFiles(t)
	process := d.start(t, binary)
	t.Cleanup(func() {
		process.stop(t)
		if t.Failed() {
			d.logServerOutput(t)
		}
	})
	d.waitReady(t, process)
	return d
}

func findDovecot(t testing.TB) string {
	for _, candidate := range []string{"dovecot", "/usr/sbin/dovecot"} {
		if path, err := exec.LookPath(candidate); err == nil {
			return path
		}
	}

	message := "dovecot not installed: apt-get install " + DovecotPackages + " to run the IMAP and POP3 tests"
	if os.Getenv(requireDovecotEnv) == "1" {
		t.Fatalf("%s (%s=1 requires it)", message, requireDovecotEnv)
	}
	t.Skip(message)
	return ""
}

// newSharedTempDir returns a new folder that Dovecot's unprivileged
// processes can enter: t.TempDir is private to the test's user.
func newSharedTempDir(t testing.TB) string {
	dir, err := os.MkdirTemp("", "plugit-dovecot-")
	if err != nil {
		t.Fatalf("creating Dovecot folder: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("opening Dovecot folder: %v", err)
	}
	return dir
}

// dovecotAccounts are the system accounts Dovecot runs as.
type dovecotAccounts struct {
	internalUser, internalGroup, loginUser string
	// mailUID and mailGID own the mail.
	mailUID, mailGID int
}

// accounts returns the accounts for Dovecot. As root it uses those that
// Debian's dovecot-core creates, because Dovecot runs neither login
// processes nor mail access as root. Otherwise every process runs as the
// current user and group.
func accounts(t testing.TB) dovecotAccounts {
	name, group := "dovecot", "dovecot"
	if os.Geteuid() != 0 {
		current, err := user.Current()
		if err != nil {
			t.Fatalf("looking up current user: %v", err)
		}
		primary, err := user.LookupGroupId(current.Gid)
		if err != nil {
			t.Fatalf("looking up group %s: %v", current.Gid, err)
		}
		return dovecotAccounts{current.Username, primary.Name, current.Username, os.Getuid(), os.Getgid()}
	}

	account, err := user.Lookup(name)
	if err != nil {
		t.Fatalf("looking up user %s, which Debian's dovecot-core creates: %v", name, err)
	}
	uid, _ := strconv.Atoi(account.Uid)
	gid, _ := strconv.Atoi(account.Gid)
	return dovecotAccounts{name, group, "dovenull", uid, gid}
}

func (d *Dovecot) writeFiles(t testing.TB) {
	accounts := accounts(t)

	mailDir := filepath.Join(d.dir, "mail")
	mustMkdir(t, mailDir)
	if err := os.Chown(mailDir, accounts.mailUID, accounts.mailGID); err != nil {
		t.Fatalf("giving the mail folder to uid %d: %v", accounts.mailUID, err)
	}
	mustMkdir(t, filepath.Join(d.dir, "run"))

	mustWrite(t, filepath.Join(d.dir, "cert.pem"), d.Cert.CertPEM)
	mustWrite(t, filepath.Join(d.dir, "key.pem"), d.Cert.KeyPEM)
	mustWrite(t, filepath.Join(d.dir, "passwd"), []byte(d.User+":{PLAIN}"+d.Password+"\n"))

	config := fmt.Sprintf(dovecotConfig, d.dir,
		accounts.internalUser, accounts.internalGroup, accounts.loginUser, accounts.mailUID, accounts.mailGID,
		port(d.IMAPAddr), port(d.IMAPSAddr), port(d.POP3Addr), port(d.POP3SAddr))
	mustWrite(t, filepath.Join(d.dir, "dovecot.conf"), []byte(config))
}

// dovecotConfig is the configuration for Dovecot 2.3. Its arguments are
// the folder, the internal user and group, the login user, the mail's
// uid and gid, and the IMAP, IMAPS, POP3 and POP3S ports.
const dovecotConfig = `
protocols = imap pop3
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/run
log_path = %[1]s/dovecot.log
default_internal_user = %[2]s
default_internal_group = %[3]s
default_login_user = %[4]s
first_valid_uid = 1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:%[1]s/mail/%%u
pop3_uidl_format = %%08Xu%%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[5]d gid=%[6]d home=%[1]s/mail/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    port = %[7]s
  }
  inet_listener imaps {
    port = %[8]s
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    port = %[9]s
  }
  inet_listener pop3s {
    port = %[10]s
  }
}
service anvil {
  chroot =
}
`
