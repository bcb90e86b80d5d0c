// Package mail sends the e-mail of the platform and brings replies back to
// the services.
//
// A [Sender] sends what services ask for through the API's mail call over
// SMTP. When the call carries a response_id, the Reply-To address gets a
// tag that a [TokenCodec] encrypts and authenticates, such as
// no-reply+TOKEN@example.org. A [Checker] reads the inbox of that address
// over IMAP or POP3, decodes the tag of each reply, and hands the reply's
// text to the service through a [Deliverer]. A reply leaves the inbox only
// once the service has accepted it.
package mail
