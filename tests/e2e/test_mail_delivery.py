"""The outbox and its delivery worker (issue 13; API.md, "Delivery"): a mail queued while the SMTP
server is down arrives when it is back, and across a restart, once; 4xx is retried with growing
delays, 5xx fails at once, AUTH_MAIL_RETRY_FOR bounds the retrying; `authctl mail list` and
`mail retry`; the mail metrics; `*.eml` files (0600) without AUTH_SMTP_URL.
"""

from __future__ import annotations

import os
import stat
import uuid

import pytest

from conftest import E2E_ISSUER, run_authctl, show, wait_until
from mail_support import (DirMailbox, attempted, mail_env, mail_list, mail_list_text, metric, quiet_for,
                         server_logs, signup, unique_email, verify)
from mail_support import smtp_sinks, mail_server  # noqa: F401  (pytest fixtures)


def statuses(server) -> dict[str, str]:
    return {e["to"]: e["status"] for e in mail_list(server)}


def test_smtp_down_then_up_the_mail_arrives(smtp_sinks, auth_server_factory):
    sink = smtp_sinks(start=False)  # nothing listens on its port yet
    server = auth_server_factory(mail_env(sink))
    email, _ = signup(server)
    [entry] = attempted(server)
    assert (entry["to"], entry["purpose"], entry["status"]) == (email, "verify-email", "pending"), entry
    assert [e["id"] for e in mail_list(server, "--pending")] == [entry["id"]]
    assert mail_list(server, "--failed") == []
    wait_until(lambda: (metric(server, "auth_mail_queue_age_seconds") or 0) >= 1, 5, 0.2, "queue age >= 1 s")

    sink.start()
    sink.wait(email, timeout=15)
    wait_until(lambda: statuses(server) == {email: "sent"}, 5, 0.2, "mail marked sent")
    wait_until(lambda: metric(server, "auth_mail_queue_age_seconds") == 0, 5, 0.2, "queue age back to 0")
    quiet_for(1.5)
    assert len(sink.to(email)) == 1
    assert verify(server, sink.token(email, "verify-email")).status_code == 200


def test_a_restart_with_mail_queued_delivers_it_once(smtp_sinks, auth_server_factory):
    sink = smtp_sinks(start=False)
    server = auth_server_factory(mail_env(sink))
    email, _ = signup(server)
    attempted(server)
    server.stop()
    sink.start()
    server.start()
    sink.wait(email, timeout=15)
    wait_until(lambda: statuses(server) == {email: "sent"}, 5, 0.2, "mail marked sent")
    server.restart()
    quiet_for(2.0)
    assert len(sink.to(email)) == 1, [m.subject for m in sink.all()]
    assert verify(server, sink.token(email, "verify-email")).status_code == 200


def test_a_4xx_answer_is_retried_until_accepted(mail_server):
    server, sink = mail_server(data_reply="451 4.3.0 Try again later")
    email, _ = signup(server)
    [entry] = attempted(server)
    assert entry["status"] == "pending" and "451" in entry["last_error"], entry
    sink.data_reply = None
    sink.wait(email, timeout=15)
    wait_until(lambda: statuses(server) == {email: "sent"}, 5, 0.2, "mail marked sent")
    quiet_for(1.5)
    assert len(sink.to(email)) == 1
    [entry] = mail_list(server)
    assert entry["attempts"] >= 2, entry


@pytest.mark.serial  # measures the delays between attempts
def test_retries_come_after_growing_delays(mail_server):
    # About 2 s, then doubling (±20 %), for as long as the server answers 4xx.
    server, sink = mail_server(data_reply="421 4.4.5 Busy")
    signup(server)
    times = wait_until(lambda: len(sink.attempt_times) >= 3 and list(sink.attempt_times), 15, 0.1, "3 attempts")
    first, second = times[1] - times[0], times[2] - times[1]
    assert 1.2 <= first <= 3.6, times
    assert second >= 2.5 and times[2] - times[0] >= 4.5, times


def test_a_5xx_answer_fails_the_mail_and_mail_retry_sends_it_again(mail_server):
    bounced, fine = unique_email("bounced"), unique_email("fine")
    server, sink = mail_server(rcpt_reply="550 5.1.1 No such user", reject_only={bounced})
    signup(server, bounced)
    signup(server, fine)
    sink.wait(fine)
    [failed] = wait_until(lambda: mail_list(server, "--failed"), 10, 0.2, "a failed mail")
    assert (failed["to"], failed["status"], failed["attempts"]) == (bounced, "failed", 1), failed
    assert "550" in failed["last_error"], failed
    wait_until(lambda: statuses(server) == {bounced: "failed", fine: "sent"}, 5, 0.2, "statuses")
    assert mail_list(server, "--pending") == []
    text = mail_list_text(server, "--failed")
    assert bounced in text and fine not in text, text
    assert (metric(server, "auth_mail_failed_total") or 0) >= 1

    attempts_before = len(sink.attempt_times)
    quiet_for(2.5)  # a failed mail is not retried by itself
    assert len(sink.attempt_times) == attempts_before and mail_list(server, "--failed")[0]["attempts"] == 1

    sink.rcpt_reply = None
    r = run_authctl("mail", "retry", str(failed["id"]), database=server.db_path)
    assert r.returncode == 0, show(r)
    sink.wait(bounced)
    wait_until(lambda: statuses(server) == {bounced: "sent", fine: "sent"}, 5, 0.2, "retried mail sent")
    assert mail_list(server, "--failed") == []
    assert verify(server, sink.token(bounced, "verify-email")).status_code == 200


def test_mail_retry_of_an_unknown_id_is_65(auth_server_factory):
    server = auth_server_factory()
    email, _ = signup(server)
    [entry] = wait_until(lambda: mail_list(server), 5, 0.2, "a queued mail")
    unknown = "987654321" if isinstance(entry["id"], int) else str(uuid.uuid4())
    r = run_authctl("mail", "retry", unknown, database=server.db_path)
    assert r.returncode == 65 and r.stdout == "" and len(r.stderr.splitlines()) == 1, show(r)


def test_after_retry_for_an_undelivered_mail_is_failed(smtp_sinks, auth_server_factory):
    sink = smtp_sinks(start=False)
    server = auth_server_factory(mail_env(sink, AUTH_MAIL_RETRY_FOR="3"))
    email, _ = signup(server)
    [entry] = wait_until(lambda: mail_list(server, "--failed"), 15, 0.2, "the mail failed")
    assert entry["to"] == email and entry["last_error"], entry
    assert (metric(server, "auth_mail_failed_total") or 0) >= 1
    wait_until(lambda: metric(server, "auth_mail_queue_age_seconds") == 0, 5, 0.2, "queue age 0")


def test_without_smtp_url_each_mail_is_an_eml_file(auth_server_factory):
    server = auth_server_factory({"AUTH_ISSUER": E2E_ISSUER})
    mailbox = DirMailbox(server.workdir / "mail")  # beside the database
    email, _ = signup(server)
    token = mailbox.token(email, "verify-email")
    [path] = mailbox.files()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, oct(os.stat(path).st_mode)
    [mail] = mailbox.all()
    assert mail.to == [email] and mail.link("verify-email") == f"{E2E_ISSUER}/verify-email?token={token}"
    assert [a.addr_spec for a in mail.msg["From"].addresses] == ["no-reply@auth.e2e.test"]
    assert str(mailbox.directory) in server_logs(server), "the start log does not name the mail folder"
    wait_until(lambda: statuses(server) == {email: "sent"}, 5, 0.2, "mail marked sent")
    assert (metric(server, "auth_mail_sent_total") or 0) >= 1

    server.restart()  # written once
    quiet_for(1.5)
    assert mailbox.files() == [path]
    assert verify(server, token).status_code == 200


def test_auth_mail_dir_names_the_folder(auth_server_factory, tmp_path):
    outbox = tmp_path / "outbox"
    server = auth_server_factory({"AUTH_MAIL_DIR": str(outbox)})
    email, _ = signup(server)
    DirMailbox(outbox).token(email, "verify-email")
    assert DirMailbox(server.workdir / "mail").files() == []
    for path in DirMailbox(outbox).files():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
