"""Statelessness proven (issue 17): two app servers and two task workers, one PostgreSQL,
one Redis, one search engine, and nothing kept in any one process's memory.

The servers are gunicorn with the production settings (portal/gunicorn.conf.py, one
worker each) and the workers ``manage.py run_worker``, each in a process of its own
(tests/deploy/cluster.py), on the suite's own PostgreSQL test database; the cache is
Redis under a key prefix of this test's own, the engine's indices carry a prefix of
this test's own (dropped afterwards), and emails go to a real SMTP server in this
process. Requests carry one host name, as a proxy in front of the servers passes it.

- A session begun on server A (the real sign-in form) continues on B, and ends on both.
- A visitor's page read on B (so stored in Redis), then unpublished on A through the
  admin's unpublish form: the next visitor on B gets a 404, and the section listing on
  B no longer shows it.
- Password resets asked on A and B and emails queued in the outbox: the two workers
  send each exactly once.
- Failed sign-ins counted on A throttle the next one on B.

Needs PostgreSQL, Redis and the engine: skipped locally when one is missing, failed
when KINDRED_REQUIRE_POSTGRES / KINDRED_REQUIRE_REDIS / KINDRED_REQUIRE_ENGINE says it
must run (CI sets all three).
"""

import email
import threading
import uuid

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.mail import EmailMessage
from django.db.models import Q

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult
from elasticsearch import Elasticsearch

from core.mail import email_queue
from core.models import OutboundEmail
from portal.settings.base import search_engine_backend
from tests.concurrency import DATABASE_BACKGROUND, free_port
from tests.factories import BlogPageFactory, UserFactory

from .cluster import (
    Browser,
    deployment,
    deployment_environment,
    manage,
    wait_for,
)

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 1"  # noqa: S105 (a test account's)


class Mailbox:
    """An SMTP server's handler that keeps every message it accepted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 2.0.0 OK"

    def received(self):
        with self.lock:
            return list(self.messages)


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop(no_assert=True)


@pytest.fixture
def shared_parts(postgresql, redis_url, redis_prefix, search_url, mailbox, tmp_path):
    """The environment of a deployment on this test's PostgreSQL database, Redis keys,
    engine indices and mailbox; the indices are dropped afterwards."""
    index_prefix = f"kindred_deploy_{uuid.uuid4().hex[:10]}_"
    env = deployment_environment(
        tmp_path=tmp_path,
        redis_url=redis_url,
        cache_prefix=redis_prefix,
        search_url=search_url,
        index_prefix=index_prefix,
        smtp_port=mailbox.port,
    )
    yield env
    node = search_engine_backend(search_url, index_prefix=index_prefix)["URLS"][0]
    client = Elasticsearch(node, request_timeout=30)
    try:
        # By name: the engine refuses wildcard deletions (action.destructive_requires_name).
        names = list(client.indices.get(index=f"{index_prefix}*", expand_wildcards="all"))
        for name in names:
            client.indices.delete(index=name)
    finally:
        client.close()


@pytest.fixture
def running(shared_parts, tmp_path):
    """Start the deployment (after the test made its content): two servers and two
    workers, the engine's indices built by ``update_index`` as a deploy would."""

    def start():
        return deployment(
            shared_parts,
            tmp_path=tmp_path,
            while_starting=lambda: manage(
                ["update_index"], env=shared_parts, tmp_path=tmp_path, name="update_index"
            ),
        )

    return start


def with_production_password(user):
    """The servers run the production hashers (the suite's MD5 is not among them)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def test_a_session_begun_on_one_server_continues_on_the_other(portal, member, running):
    with_production_password(member)
    with running() as site:
        server_a, server_b = site.servers
        browser = Browser()

        signed_in = browser.sign_in(server_a, login=member.email, password=PASSWORD)
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        assert "sessionid" in browser.session.cookies

        # B reads the session A wrote: the member's own account page, in their name.
        account = browser.get(server_b, "/me/account/")
        assert account.status_code == 200
        assert member.display_name in account.text
        # A visitor without the cookie is sent to sign in, on either server.
        for server in site.servers:
            assert Browser().get(server, "/me/account/").status_code == 302

        # Signed out on B: the session is gone for A too.
        browser.get(server_b, "/me/account/")
        assert browser.post(server_b, "/accounts/logout/", {}).status_code == 302
        after = browser.get(server_a, "/me/account/")
        assert after.status_code == 302
        assert "/accounts/login/" in after.headers["Location"]


def test_an_unpublish_on_one_server_reaches_the_next_visitor_on_the_other(
    blog_index, superuser, running
):
    title = "Cooling vests through a hot summer"
    item = BlogPageFactory(parent=blog_index, title=title)
    listing, address = blog_index.url, item.url
    with_production_password(superuser)
    with running() as site:
        server_a, server_b = site.servers

        # A visitor reads the item and the section on B: stored in the shared cache,
        # so served from it by A too (the same host, as behind a proxy).
        first = Browser().get(server_b, address)
        assert first.status_code == 200 and title in first.text
        assert first.headers.get("X-Kindred-Cache") == "stored"
        again = Browser().get(server_a, address)
        assert again.status_code == 200
        assert again.headers.get("X-Kindred-Cache") == "hit"
        assert title in Browser().get(server_b, listing).text
        assert Browser().get(server_b, listing).headers.get("X-Kindred-Cache") == "hit"
        found = Browser().get(server_b, "/search/", params={"q": "cooling vests"})
        assert found.status_code == 200 and title in found.text

        # An administrator unpublishes it on A through the admin's own form.
        admin = Browser()
        signed_in = admin.sign_in(server_a, login=superuser.email, password=PASSWORD)
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        unpublish = f"/admin/pages/{item.pk}/unpublish/"
        admin.open_form(server_a, unpublish)
        done = admin.post(server_a, unpublish, {})
        assert done.status_code == 302, done.text[-2000:]

        # The next visitor on B: gone from its address and from the section.
        gone = Browser().get(server_b, address)
        assert gone.status_code == 404
        assert title not in gone.text
        section = Browser().get(server_b, listing)
        assert section.status_code == 200
        assert title not in section.text
        # The workers take it out of the engine's index too; search on B stops finding it.
        wait_for(
            lambda: (
                title not in Browser().get(server_b, "/search/", params={"q": "cooling vests"}).text
            ),
            what="the unpublished item to leave the search results",
            processes=site.processes,
        )


def test_each_queued_email_is_sent_exactly_once_by_the_two_workers(portal, running, mailbox):
    members = [UserFactory(group="Members") for _ in range(4)]
    with running() as site:
        server_a, server_b = site.servers
        # Password resets asked on both servers (4: under the 5 an hour one address may ask)...
        for number, member in enumerate(members):
            browser = Browser()
            server = site.servers[number % 2]
            browser.open_form(server, "/accounts/password/reset/")
            asked = browser.post(server, "/accounts/password/reset/", {"email": member.email})
            assert asked.status_code == 302, asked.text[-2000:]
        # ...and 20 more emails put in the outbox at once, for both workers to race for.
        with DATABASE_BACKGROUND:
            for number in range(20):
                email_queue(
                    message=EmailMessage(
                        subject=f"Bulk {number}", body="A digest.", to=[f"bulk{number}@example.org"]
                    ),
                    key=f"deploy-test:bulk:{number}",
                )
        expected = {member.email for member in members} | {
            f"bulk{number}@example.org" for number in range(20)
        }

        def all_sent():
            return (
                len({message["To"] for message in mailbox.received()}) >= len(expected)
                and not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
                and not DBTaskResult.objects.filter(
                    Q(status="READY") | Q(status="RUNNING")
                ).exists()
            )

        wait_for(all_sent, what="every queued email to be sent", processes=site.processes)

        received = mailbox.received()
        recipients = sorted(message["To"] for message in received)
        assert recipients == sorted(expected)  # each once: no duplicate, none missing
        assert len({message["Message-ID"] for message in received}) == len(expected)
        resets = [message for message in received if message["To"] in {m.email for m in members}]
        assert all("password" in message["Subject"].lower() for message in resets)
        assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 24


def test_failed_sign_ins_counted_on_one_server_throttle_the_next_on_the_other(
    portal, member, running
):
    with_production_password(member)
    with running() as site:
        server_a, server_b = site.servers
        attacker = Browser()
        attacker.open_form(server_a, "/accounts/login/")
        # Six wrong passwords a minute from one address are allowed (login_failed "6/m/ip")...
        for attempt in range(6):
            wrong = attacker.post(
                server_a,
                "/accounts/login/",
                {"login": member.email, "password": f"guess {attempt}"},
            )
            assert wrong.status_code == 200, (attempt, wrong.status_code)
        # ...the seventh, on the other server, is refused: the count lives in Redis.
        seventh = attacker.post(
            server_b, "/accounts/login/", {"login": member.email, "password": "guess 6"}
        )
        assert seventh.status_code == 429
        # Even with the right password, from that address, for now.
        right = attacker.post(
            server_b, "/accounts/login/", {"login": member.email, "password": PASSWORD}
        )
        assert right.status_code == 429
        assert "sessionid" not in attacker.session.cookies
