"""50 simulated users of every role against the production profile (driven by bench/loadtest.py).

The URLs come from the environment (``BENCH_URLS``, JSON, resolved by Django's ``reverse`` in
loadtest.py): a page that is not built yet is simply not visited. Every write carries the run's
marker in its title, so loadtest.py can count afterwards what reached the database.
"""

import itertools
import json
import os
import re

from locust import HttpUser, between, task

URLS: dict = json.loads(os.environ.get("BENCH_URLS", "{}"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "fixdesk-bench")
DOMAIN = os.environ.get("BENCH_DOMAIN", "bench.fixdesk.test")
MARKER = os.environ.get("BENCH_MARKER", "loadtest")
SIZES = json.loads(os.environ.get("BENCH_SIZES", "{}"))
CREATED_LOG = os.environ.get("BENCH_CREATED_LOG", "")  # one line per create locust saw succeed
_SEQUENCE = itertools.count(1)
_numbers = {role: itertools.count(1) for role in ("admin", "engineer", "technician", "customer")}


class Role(HttpUser):
    abstract = True
    role = "customer"
    wait_time = between(1, 3)

    def on_start(self):
        # Users 1..n of the role, wrapping around: several simulated users may share an account.
        n = next(_numbers[self.role]) % max(1, SIZES.get(self.role, 1))
        email = f"bench-{self.role}@{DOMAIN}" if n == 0 else f"{self.role}{n}@{DOMAIN}"
        page = self.client.get(URLS["login"], name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        with self.client.post(URLS["login"], name="sign in", allow_redirects=False, catch_response=True, data={
            "csrfmiddlewaretoken": token.group(1) if token else "", "username": email, "password": PASSWORD,
        }, headers={"Referer": self.host + URLS["login"]}) as resp:
            if resp.status_code != 302:
                resp.failure(f"sign-in as {email} gave {resp.status_code}")

    def visit(self, key: str, name: str | None = None, **params):
        if URLS.get(key):
            self.client.get(URLS[key], params=params or None, name=name or key)

    @task(3)
    def dashboard(self):
        self.visit("dashboard")


class Customer(Role):
    role = "customer"
    weight = 30

    @task(4)
    def my_tickets(self):
        self.visit("tickets_list", "my tickets")

    @task(1)
    def report_a_case(self):
        if not URLS.get("api_tickets"):
            return
        csrftoken = self.client.cookies.get("csrftoken", "")
        # Each create carries its own token: the database count then tells a lost or duplicated
        # write apart from one whose response was still on its way when the run stopped.
        token = f"{MARKER}-{next(_SEQUENCE):06d}"
        with self.client.post(URLS["api_tickets"], name="API ticket create", catch_response=True, json={
            "title": f"{token} radiator cold", "description": "Reported during the load test.", "priority": "normal",
        }, headers={"X-CSRFToken": csrftoken, "Referer": self.host + "/"}) as resp:
            if resp.status_code != 201:
                resp.failure(f"create gave {resp.status_code}")
            elif CREATED_LOG:
                with open(CREATED_LOG, "a") as log:
                    log.write(token + "\n")


class Technician(Role):
    role = "technician"
    weight = 8

    @task(4)
    def jobs(self):
        self.visit("tickets_jobs", "my jobs")


class Engineer(Role):
    role = "engineer"
    weight = 7

    @task(3)
    def queue(self):
        self.visit("tickets_queue", "queue")

    @task(1)
    def knowledge(self):
        self.visit("knowledge_search", "knowledge search", q="pump")


class Admin(Role):
    role = "admin"
    weight = 5

    @task(3)
    def queue(self):
        self.visit("tickets_queue", "queue")

    @task(1)
    def queue_filtered(self):
        self.visit("tickets_queue", "queue filtered", status="in_progress", priority="high")

    @task(1)
    def api_list(self):
        self.visit("api_tickets", "API ticket list")
