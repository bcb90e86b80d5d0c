// Package pop3 is a client for the Post Office Protocol version 3
// (RFC 1939) with STLS (RFC 2595): enough to list, read and delete the
// messages of a mailbox.
package pop3

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout is the time-out of dialing and of each command when the
// caller gives none.
const DefaultTimeout = 30 * time.Second

// MessageInfo is a message number and the message's size in bytes, as
// LIST returns them. Numbers stay valid until the session ends.
type MessageInfo struct {
	Number int
	Size   int64
}

// Client is one POP3 session. It is not safe for concurrent use.
type Client struct {
	conn    net.Conn
	r       *bufio.Reader
	timeout time.Duration
}

// Dial connects to addr without TLS and reads the server's greeting.
// A timeout of 0 means DefaultTimeout, for dialing and for each command.
func Dial(ctx context.Context, addr string, timeout time.Duration) (*Client, error) {
	timeout = orDefault(timeout)
	dialer := &net.Dialer{Timeout: timeout}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pop3: connecting to %s: %w", addr, err)
	}
	return newClient(conn, timeout)
}

// DialTLS connects to addr with implicit TLS (POP3S) and reads the
// server's greeting.
func DialTLS(ctx context.Context, addr string, config *tls.Config, timeout time.Duration) (*Client, error) {
	timeout = orDefault(timeout)
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: timeout}, Config: config}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pop3: connecting with TLS to %s: %w", addr, err)
	}
	return newClient(conn, timeout)
}

func orDefault(timeout time.Duration) time.Duration {
	if timeout <= 0 {
		return DefaultTimeout
	}
	return timeout
}

func newClient(conn net.Conn, timeout time.Duration) (*Client, error) {
	c := &Client{conn: conn, r: bufio.NewReaderSize(conn, MaxLineLength), timeout: timeout}
	if _, err := c.readStatus("greeting"); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// StartTLS upgrades the connection with STLS. The config must name the
// server (ServerName) unless it skips verification.
func (c *Client) StartTLS(ctx context.Context, config *tls.Config) error {
	if _, err := c.cmd("STLS"); err != nil {
		return err
	}

	conn := tls.Client(c.conn, config)
	if err := conn.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("pop3: TLS handshake after STLS: %w", err)
	}

	// RFC 2595 section 4: anything read before the handshake is discarded.
	c.conn = conn
	c.r = bufio.NewReaderSize(conn, MaxLineLength)
	return nil
}

// Login authenticates with USER and PASS.
func (c *Client) Login(user, password string) error {
	if _, err := c.cmd("USER", user); err != nil {
		return err
	}
	if _, err := c.cmd("PASS", password); err != nil {
		return err
	}
	return nil
}

// Stat returns the number of messages and their total size in bytes.
func (c *Client) Stat() (count int, size int64, err error) {
	text, err := c.cmd("STAT")
	if err != nil {
		return 0, 0, err
	}
	return parseStat(text)
}

// List returns the number and size of every message not marked deleted.
func (c *Client) List() ([]MessageInfo, error) {
	lines, err := c.cmdLines("LIST")
	if err != nil {
		return nil, err
	}

	infos := make([]MessageInfo, 0, len(lines))
	for _, line := range lines {
		info, err := parseScanListing(line)
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// UIDL returns the unique id of every message not marked deleted, by
// message number. A server without UIDL returns an *Error.
func (c *Client) UIDL() (map[int]string, error) {
	lines, err := c.cmdLines("UIDL")
	if err != nil {
		return nil, err
	}

	uids := make(map[int]string, len(lines))
	for _, line := range lines {
		number, uid, err := parseUniqueIDListing(line)
		if err != nil {
			return nil, err
		}
		uids[number] = uid
	}
	return uids, nil
}

// Retr returns message number n as the server sent it, with its line
// endings. A message over maxBytes gives ErrTooLarge.
func (c *Client) Retr(n int, maxBytes int64) ([]byte, error) {
	if _, err := c.cmd("RETR", strconv.Itoa(n)); err != nil {
		return nil, err
	}
	body, err := readDotBody(c.r, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("pop3: RETR %d: %w", n, err)
	}
	return body, nil
}

// Dele marks message number n deleted. The server removes it only when
// the session ends with Quit.
func (c *Client) Dele(n int) error {
	_, err := c.cmd("DELE", strconv.Itoa(n))
	return err
}

// Quit ends the session, which removes the messages marked deleted, and
// closes the connection. An error means some may remain.
func (c *Client) Quit() error {
	_, err := c.cmd("QUIT")
	closeErr := c.conn.Close()
	if err != nil {
		return err
	}
	if closeErr != nil {
		return fmt.Errorf("pop3: closing connection: %w", closeErr)
	}
	return nil
}

// Close closes the connection without QUIT: the server keeps every
// message, including those marked deleted (RFC 1939 section 6).
func (c *Client) Close() error {
	return c.conn.Close()
}

// cmd sends a command and returns the text of its +OK status line.
func (c *Client) cmd(name string, args ...string) (string, error) {
	if err := c.send(name, args); err != nil {
		return "", err
	}
	return c.readStatus(name)
}

// cmdLines sends a command with a multi-line reply and returns its lines.
func (c *Client) cmdLines(name string) ([]string, error) {
	if _, err := c.cmd(name); err != nil {
		return nil, err
	}
	lines, err := readDotLines(c.r)
	if err != nil {
		return nil, fmt.Errorf("pop3: %s: %w", name, err)
	}
	return lines, nil
}

func (c *Client) send(name string, args []string) error {
	for _, arg := range args {
		if err := validateArg(name, arg); err != nil {
			return err
		}
	}

	if err := c.conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return fmt.Errorf("pop3: %s: setting deadline: %w", name, err)
	}

	line := strings.Join(append([]string{name}, args...), " ") + "\r\n"
	if _, err := c.conn.Write([]byte(line)); err != nil {
		return fmt.Errorf("pop3: sending %s: %w", name, err)
	}
	return nil
}

// validateArg rejects an argument that would end the command line early.
// PASS takes the rest of the line, so a password may contain spaces
// (RFC 1939 section 7).
func validateArg(command, arg string) error {
	if strings.ContainsAny(arg, "\r\n") {
		return fmt.Errorf("pop3: %s: argument contains a line break", command)
	}
	if command != "PASS" && (arg == "" || strings.Contains(arg, " ")) {
		return fmt.Errorf("pop3: %s: argument is empty or contains a space", command)
	}
	return nil
}

func (c *Client) readStatus(command string) (string, error) {
	if err := c.conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return "", fmt.Errorf("pop3: %s: setting deadline: %w", command, err)
	}

	line, err := readLine(c.r)
	if err != nil {
		if errors.Is(err, ErrProtocol) {
			return "", fmt.Errorf("pop3: %s: %w", command, err)
		}
		return "", fmt.Errorf("pop3: reading %s reply: %w", command, err)
	}
	return parseStatus(command, line)
}
