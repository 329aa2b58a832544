"""A realistic, fast data set for the benchmarks: bulk inserts, streamed in chunks.

``seed(tickets=N)`` builds (once) a bench "world" of organisations, users of every role, sites
with a location tree, equipment, vehicles, trades and categories, then adds ``N`` tickets in
every status, each with the audit events its status implies, comments and photo records.
Chunks of tickets are inserted together with their events, comments and photos, so memory
stays flat and one million tickets is only a matter of time.

Nothing here goes through the services on purpose: this is a loader for a benchmark database,
not application behaviour. It writes what the services would have written (events whose
``to_status`` chain ends in the ticket's status, timestamps in order, assignees where the
status needs one), and the tests in ``bench/tests`` hold it to that.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Role, User
from facilities.models import (
    Equipment,
    EquipmentModel,
    Location,
    Manufacturer,
    Site,
    StaffProfile,
    Trade,
    Vehicle,
)
from tickets.escalation import DELAY_STATUSES
from tickets.models import Category, Comment, Photo, Priority, Status, Ticket, TicketEvent

BENCH_DOMAIN = "bench.fixdesk.test"
BENCH_PASSWORD = "fixdesk-bench"  # noqa: S105 - a benchmark database's known password
# One login per role; run.py and the load test sign in as these.
LOGIN_EMAILS = {role.value: f"bench-{role.value}@{BENCH_DOMAIN}" for role in Role}
LONG_HISTORY_TITLE = "Recurring fault with a long history"
PHOTO_NAME = "bench/photo.jpg"
THUMB_NAME = "bench/photo-thumb.jpg"

# Share of each status among the seeded tickets (a mature helpdesk: most tickets are closed).
STATUS_WEIGHTS = {
    Status.NEW: 10, Status.APPROVED: 5, Status.REJECTED: 3, Status.ASSIGNED: 8, Status.IN_PROGRESS: 10,
    Status.ON_HOLD: 6, Status.RESOLVED: 8, Status.CLOSED: 46, Status.CANCELLED: 4,
}
PRIORITY_WEIGHTS = {Priority.LOW: 20, Priority.NORMAL: 55, Priority.HIGH: 20, Priority.URGENT: 5}

# The workflow path (actions, each with the status it leads to) that ends in each status.
_ASSIGNED_PATH = [("approve", Status.APPROVED), ("assign", Status.ASSIGNED)]
_STARTED_PATH = _ASSIGNED_PATH + [("start", Status.IN_PROGRESS)]
PATHS = {
    Status.NEW: [],
    Status.APPROVED: [("approve", Status.APPROVED)],
    Status.REJECTED: [("reject", Status.REJECTED)],
    Status.CANCELLED: [("cancel", Status.CANCELLED)],
    Status.ASSIGNED: _ASSIGNED_PATH,
    Status.IN_PROGRESS: _STARTED_PATH,
    Status.ON_HOLD: _STARTED_PATH + [("hold", Status.ON_HOLD)],
    Status.RESOLVED: _STARTED_PATH + [("resolve", Status.RESOLVED)],
    Status.CLOSED: _STARTED_PATH + [("resolve", Status.RESOLVED), ("close", Status.CLOSED)],
}
# How long after a stay began the seeded history's sweep flagged it as unusually long (less than
# the ~1.8 days the 90th percentile of seeded stays comes to, so no flagged stay is due again).
FLAGGED_AFTER = 1.5 * 86400
NEEDS_ASSIGNEE = {Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED, Status.CLOSED}

FIRST_NAMES = ["Alice", "Bilal", "Chloe", "Dmitri", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jamal", "Kira",
               "Liam", "Maya", "Nikos", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
               "Wei", "Ximena", "Yusuf", "Zoe"]
LAST_NAMES = ["Adams", "Baker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ivanova",
              "Jones", "Kowalski", "Lopez", "Murphy", "Nakamura", "O'Brien", "Patel", "Quinlan", "Rossi",
              "Smith", "Tanaka", "Usman", "Varga", "Walsh", "Xu", "Young", "Zielinski"]
ORGS = ["Northwind Clinics", "Contoso Offices", "Globex Labs", "Initech", "Umbrella Schools", "Stark Depots",
        "Wayne Estates", "Acme Retail", "Hooli Campus", "Vandelay Imports"]
CATEGORIES = ["Repair", "Preventive maintenance", "IT incident", "Request", "Cleaning", "Safety"]
TRADES = ["Electrical", "Plumbing", "HVAC", "IT", "Carpentry", "Lifts"]
CITIES = ["Leeds", "York", "Bristol", "Leicester", "Norwich", "Exeter", "Bath", "Derby", "Hull", "Luton"]
MANUFACTURERS = {
    "Daikin": ("HVAC", ["FTXM35", "VRV IV", "Altherma 3"]),
    "Carrier": ("HVAC", ["AquaSnap 30RB", "WeatherMaker"]),
    "Otis": ("Lifts", ["Gen2", "SkyRise"]),
    "Schindler": ("Lifts", ["3300", "5500"]),
    "Grundfos": ("Pumps", ["CR 15", "Magna3"]),
    "Siemens": ("Electrical", ["Sentron 3VA", "Sinamics G120"]),
    "Schneider": ("Electrical", ["Easy UPS", "Acti9"]),
    "HP": ("IT", ["LaserJet M507", "EliteDesk 800"]),
    "Cisco": ("IT", ["Catalyst 9200", "Meraki MR36"]),
    "Miele": ("Kitchen", ["PG 8059", "H 7860"]),
    "Bosch": ("Safety", ["FPA-5000", "Avenar 4000"]),
    "Honeywell": ("Safety", ["Notifier ID3000", "Galaxy Flex"]),
}
PROBLEMS = [
    ("Air conditioning not cooling", "The unit blows warm air since this morning; the room is at 29 degrees."),
    ("Water leak under sink", "Water is dripping from the pipe under the sink and pooling on the floor."),
    ("Lift stuck between floors", "The lift stops between floors 2 and 3 and the doors do not open."),
    ("Printer jams on every job", "The printer jams on every job and shows error 13.A2."),
    ("Lights flickering in corridor", "The ceiling lights in the corridor flicker and buzz constantly."),
    ("No network in meeting room", "The wall sockets in the meeting room give no network connection."),
    ("Fire alarm panel shows fault", "The panel shows a zone fault on loop 2 and beeps every minute."),
    ("Door lock broken", "The electronic lock does not accept badges; the door stays locked."),
    ("Boiler pressure low", "The boiler pressure gauge reads 0.4 bar and radiators are cold."),
    ("Dishwasher not draining", "The dishwasher leaves water in the bottom after every cycle."),
    ("UPS alarm beeping", "The UPS beeps and reports battery replacement needed."),
    ("Noise from ventilation", "A loud rattling noise comes from the ventilation duct above the desk."),
]
COMMENTS = [
    "Any update on this please?", "Parts ordered, expected on Thursday.", "Checked on site, needs a second visit.",
    "Customer not available, rescheduled.", "Replaced the faulty component and tested.", "Photo attached.",
    "Thanks, it works again.", "Still happening this afternoon.", "Access code for the plant room is at reception.",
    "Warranty claim opened with the manufacturer.",
]
HOLD_REASONS = ["Waiting for parts", "Waiting for the customer", "Access to the room not possible"]


# The tickets branch numbers events with the ticket's version; fill it in when the field exists.
_HAS_EVENT_VERSION = any(f.name == "ticket_version" for f in TicketEvent._meta.concrete_fields)


@dataclass
class World:
    """Ids of what tickets point at, loaded once and reused for every chunk."""

    admins: list[int] = field(default_factory=list)
    engineers: list[int] = field(default_factory=list)
    technicians: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    heavy_customer: int = 0
    categories: list[int] = field(default_factory=list)
    sites: list[int] = field(default_factory=list)
    # site id -> [(location id, location path)]
    rooms: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    # site id -> [equipment id]
    equipment: dict[int, list[int]] = field(default_factory=dict)
    vehicles: list[int] = field(default_factory=list)

    @property
    def field_staff(self) -> list[int]:
        return self.engineers + self.technicians

    @property
    def staff(self) -> list[int]:
        return self.admins + self.engineers + self.technicians


@dataclass
class Summary:
    tickets: int = 0
    events: int = 0
    comments: int = 0
    photos: int = 0
    users: int = 0
    sites: int = 0
    locations: int = 0
    equipment: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the timestamps we set instead of ``auto_now``/``auto_now_add``'s now."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def world_sizes(tickets: int) -> dict[str, int]:
    """How big the world around ``tickets`` tickets is (grows with it, within sensible bounds)."""
    return {
        "admins": 3,
        "engineers": max(4, min(100, tickets // 5000)),
        "technicians": max(6, min(400, tickets // 2000)),
        "customers": max(12, min(50_000, tickets // 20)),
        "sites": max(3, min(50, tickets // 2000)),
        "equipment": max(20, min(50_000, tickets // 20)),
        "vehicles": max(3, min(40, tickets // 5000)),
    }


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _uk_mobile(n: int) -> str:
    return f"+447911{n % 1_000_000:06d}"


def _write_photo_files() -> None:
    """One small real JPEG (and its thumbnail) that every seeded photo record points at."""
    from PIL import Image

    for name, size in ((PHOTO_NAME, (640, 480)), (THUMB_NAME, (160, 120))):
        if default_storage.exists(name):
            continue
        buf = io.BytesIO()
        Image.new("RGB", size, (180, 120, 60)).save(buf, "JPEG", quality=70)
        default_storage.save(name, io.BytesIO(buf.getvalue()))


def load_world() -> World | None:
    """The bench world already in the database, or None when it was never built."""
    if not User.objects.filter(email=LOGIN_EMAILS["admin"]).exists():
        return None
    world = World()
    by_role = {"admin": world.admins, "engineer": world.engineers, "technician": world.technicians,
               "customer": world.customers}
    for pk, role in User.objects.filter(email__endswith="@" + BENCH_DOMAIN).order_by("pk").values_list("pk", "role"):
        by_role[role].append(pk)
    world.heavy_customer = User.objects.get(email=LOGIN_EMAILS["customer"]).pk
    world.categories = list(Category.objects.filter(name__in=CATEGORIES).values_list("pk", flat=True))
    world.sites = list(Site.objects.filter(name__startswith="Bench ").values_list("pk", flat=True))
    for pk, site_id, path in Location.objects.filter(site__in=world.sites, children__isnull=True).values_list(
        "pk", "site_id", "path"
    ):
        world.rooms.setdefault(site_id, []).append((pk, path))
    for pk, site_id in Equipment.objects.filter(site__in=world.sites).values_list("pk", "site_id"):
        world.equipment.setdefault(site_id, []).append(pk)
    world.vehicles = list(Vehicle.objects.filter(plate__startswith="BN").values_list("pk", flat=True))
    return world


def build_world(tickets: int, rng: random.Random, summary: Summary) -> World:
    """Organisations, users of every role, sites > buildings > floors > rooms, equipment, vehicles."""
    sizes = world_sizes(tickets)
    now = timezone.now()
    password = make_password(BENCH_PASSWORD)
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"{name} (bench)", members_see_all_tickets=i % 3 == 0) for i, name in enumerate(ORGS)]
    )
    users = []
    seq = 0
    for role in (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN, Role.CUSTOMER):
        for i in range(sizes[f"{role.value}s"]):
            seq += 1
            first, last = _name(rng)
            email = LOGIN_EMAILS[role.value] if i == 0 else f"{role.value}{i}@{BENCH_DOMAIN}"
            organization = rng.choice(orgs) if role == Role.CUSTOMER and i % 2 == 0 else None
            if role == Role.CUSTOMER and i == 0:
                # The login customer's organisation shares its tickets: "My tickets" is the
                # organisation's (thousands), the heavier of the two visibility rules.
                organization = orgs[0]
            users.append(User(
                email=email, first_name=first, last_name=last, role=role, password=password,
                is_staff=role == Role.ADMIN, email_confirmed_at=now,
                phone=_uk_mobile(seq) if role in (Role.ENGINEER, Role.TECHNICIAN) or i % 4 == 0 else "",
                organization=organization,
                date_joined=now - timedelta(days=rng.randint(30, 1500)),
            ))
    User.objects.bulk_create(users, batch_size=2000)
    summary.users = len(users)

    categories = [Category.objects.get_or_create(name=name)[0].pk for name in CATEGORIES]
    trades = [Trade.objects.get_or_create(name=name)[0] for name in TRADES]

    sites = Site.objects.bulk_create([
        Site(name=f"Bench {CITIES[i % len(CITIES)]} {i + 1:02d}", address=f"{i + 1} High Street, {CITIES[i % 10]}",
             latitude=round(50.5 + rng.random() * 3, 6), longitude=round(-3.5 + rng.random() * 4, 6))
        for i in range(sizes["sites"])
    ])
    summary.sites = len(sites)
    # Three levels, created level by level so each row knows its parent's id.
    buildings = Location.objects.bulk_create([
        Location(site=s, name=f"Block {b}", path=f"{s.name} / Block {b}") for s in sites for b in "AB"
    ])
    floors = Location.objects.bulk_create([
        Location(site_id=b.site_id, parent=b, name=f"Floor {f}", path=f"{b.path} / Floor {f}")
        for b in buildings for f in range(3)
    ])
    rooms = Location.objects.bulk_create([
        Location(site_id=f.site_id, parent=f, name=name, path=f"{f.path} / {name}")
        for f in floors for name in (f"Room {f.name[-1]}{r:02d}" for r in range(1, 5))
    ])
    summary.locations = len(buildings) + len(floors) + len(rooms)

    models = []
    for manu_name, (category, names) in MANUFACTURERS.items():
        manu, _ = Manufacturer.objects.get_or_create(name=manu_name)
        for name in names:
            models.append(EquipmentModel.objects.get_or_create(manufacturer=manu, name=name,
                                                               defaults={"category": category})[0])
    equipment = []
    for i in range(sizes["equipment"]):
        room = rng.choice(rooms)
        equipment.append(Equipment(
            asset_tag=f"BN-{i + 1:07d}", serial_number=f"SN{rng.randrange(10**9):09d}", model=rng.choice(models),
            site_id=room.site_id, location=room, install_date=(now - timedelta(days=rng.randint(100, 4000))).date(),
            status=rng.choices([Equipment.Status.IN_SERVICE, Equipment.Status.OUT_OF_SERVICE,
                                Equipment.Status.RETIRED], [90, 7, 3])[0],
        ))
    Equipment.objects.bulk_create(equipment, batch_size=2000)
    summary.equipment = len(equipment)
    Vehicle.objects.bulk_create([
        Vehicle(name=f"Van {i + 1}", plate=f"BN{i + 1:02d} FDX", kind="van", capacity=2, home_site=rng.choice(sites))
        for i in range(sizes["vehicles"])
    ])

    world = load_world()
    assert world is not None
    profiles = StaffProfile.objects.bulk_create([
        StaffProfile(user_id=pk, home_site_id=rng.choice(world.sites)) for pk in world.field_staff
    ])
    through = StaffProfile.trades.through
    through.objects.bulk_create([
        through(staffprofile_id=p.pk, trade_id=t.pk) for p in profiles for t in rng.sample(trades, 2)
    ])
    world.categories = categories
    return world


class TicketMaker:
    """Builds one chunk of tickets and then the events, comments and photos that belong to them."""

    def __init__(self, world: World, rng: random.Random, total: int, start: float, span: float):
        self.world, self.rng, self.total = world, rng, total
        self.start, self.span = start, span
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())
        self.priorities = list(PRIORITY_WEIGHTS)
        self.priority_weights = list(PRIORITY_WEIGHTS.values())
        self.heavy_every = 50  # the login customer raises 2 % of all tickets: a long "My tickets"

    def ticket(self, i: int) -> tuple[Ticket, list]:
        rng, w = self.rng, self.world
        created = self.start + self.span * (i + rng.random()) / self.total
        status = rng.choices(self.statuses, self.status_weights)[0]
        # Recent tickets are more often still open; old open ones are the escalation backlog.
        if created > self.start + self.span * 0.9 and status == Status.CLOSED and rng.random() < 0.5:
            status = Status.IN_PROGRESS
        title, description = rng.choice(PROBLEMS)
        site = rng.choice(w.sites)
        room_id, room_path = rng.choice(w.rooms[site])
        equipment = rng.choice(w.equipment[site]) if w.equipment.get(site) and rng.random() < 0.6 else None
        requester = w.heavy_customer if i % self.heavy_every == 0 else rng.choice(w.customers)
        assignee = rng.choice(w.field_staff) if status in NEEDS_ASSIGNEE else None

        # Timeline: creation, then one event per step, minutes to days apart.
        t = created
        steps = []
        for action, to_status in PATHS[status]:
            t += rng.uniform(600, 2 * 86400)
            steps.append((action, to_status, t))
        when = {a: ts for a, _, ts in steps}
        last = steps[-1][2] if steps else created
        escalation = 0
        if status in (Status.NEW, Status.APPROVED, Status.ASSIGNED) and i < 0.8 * self.total:
            escalation = rng.choice([0, 1, 1, 2])
        # The sweep runs every 5 minutes on a live helpdesk (tickets/escalation.py): a stay that ran
        # longer than usual was flagged (and the ticket escalated) soon after it did, not all at once
        # on the bench's first sweep. Seeded stays last up to 2 days, so "usual" is about 1.8 days.
        flagged = None
        if status in DELAY_STATUSES and steps and last + FLAGGED_AFTER < self.start + self.span:
            flagged = last + FLAGGED_AFTER
            escalation = max(escalation, 1)
        ticket = Ticket(
            title=f"{title} ({room_path.rsplit(' / ', 1)[-1]})",
            description=description,
            category_id=rng.choice(w.categories),
            priority=rng.choices(self.priorities, self.priority_weights)[0],
            status=status,
            requester_id=requester,
            site_id=site, location_id=room_id, equipment_id=equipment,
            affected_item="" if equipment else rng.choice(["window", "radiator", "socket", "tap", "desk lamp"]),
            assignee_id=assignee,
            vehicle_id=rng.choice(w.vehicles) if assignee and w.vehicles and rng.random() < 0.3 else None,
            version=1 + len(steps),
            escalation_level=escalation,
            escalated_at=_dt(flagged) if flagged else None,
            delay_flagged_at=_dt(flagged) if flagged else None,
            created_at=_dt(created),
            updated_at=_dt(last),
            status_changed_at=_dt(last) if steps else None,
            assigned_at=_dt(when["assign"]) if "assign" in when else None,
            resolved_at=_dt(when["resolve"]) if "resolve" in when else None,
            closed_at=_dt(when["close"]) if "close" in when else None,
        )
        if rng.random() < 0.005:
            ticket.deleted_at = _dt(last + 3600)
            ticket.deleted_by_id = w.admins[0]
        return ticket, steps

    def children(self, ticket: Ticket, steps: list) -> tuple[list, list, list]:
        """Events (one per workflow step, after the creation event), comments and photos of a saved ticket."""
        rng, w = self.rng, self.world
        events = [TicketEvent(ticket_id=ticket.pk, actor_id=ticket.requester_id, action="create", to_status=Status.NEW,
                              created_at=ticket.created_at)]
        previous = Status.NEW
        for action, to_status, at in steps:
            actor, changes = rng.choice(w.admins), {}
            if action == "assign":
                changes = {"assignee": [None, ticket.assignee_id]}
            elif action in ("start", "hold", "resolve"):
                actor = ticket.assignee_id
                if action == "hold":
                    changes = {"reason": rng.choice(HOLD_REASONS)}
            elif action == "cancel":
                actor = ticket.requester_id
            elif action in ("approve", "reject"):
                changes = {"comment": "Approved." if action == "approve" else "Not covered by the contract."}
            events.append(TicketEvent(ticket_id=ticket.pk, actor_id=actor, action=action, from_status=previous,
                                      to_status=to_status, changes=changes, created_at=_dt(at)))
            previous = to_status
        if _HAS_EVENT_VERSION:
            for n, event in enumerate(events, start=1):
                event.ticket_version = n
        comments = []
        end = ticket.updated_at.timestamp()
        start = ticket.created_at.timestamp()
        for _ in range(rng.choices([0, 1, 2, 3, 5], [25, 30, 25, 12, 8])[0]):
            staff = ticket.assignee_id or rng.choice(w.staff)
            author = rng.choice([ticket.requester_id, staff])
            comments.append(Comment(
                ticket_id=ticket.pk, author_id=author, body=rng.choice(COMMENTS),
                is_internal=author != ticket.requester_id and rng.random() < 0.3,
                created_at=_dt(rng.uniform(start, max(end, start + 60))),
            ))
        comments.sort(key=lambda c: c.created_at)
        photos = []
        if rng.random() < 0.2:
            for n in range(rng.choice([1, 1, 2])):
                photos.append(Photo(
                    ticket_id=ticket.pk, image=PHOTO_NAME, thumbnail=THUMB_NAME, content_type="image/jpeg",
                    width=640, height=480, size=8000, original_name=f"IMG_{ticket.pk}_{n}.jpg",
                    uploaded_by_id=ticket.requester_id, created_at=ticket.created_at,
                ))
        return events, comments, photos


def _long_history(world: World, rng: random.Random, summary: Summary, count: int = 3, cycles: int = 150) -> None:
    """A few tickets that were put on hold and resumed many times, with as many comments: long pages."""
    now = time.time()
    for n in range(count):
        created = now - 200 * 86400 - n * 86400
        assignee = world.field_staff[n % len(world.field_staff)]
        site = world.sites[n % len(world.sites)]
        ticket = Ticket(
            title=LONG_HISTORY_TITLE, description="Keeps coming back after every repair. " * 20,
            category_id=world.categories[0], priority=Priority.HIGH, status=Status.IN_PROGRESS,
            requester_id=world.heavy_customer, site_id=site, location_id=world.rooms[site][0][0],
            assignee_id=assignee, version=4 + 2 * cycles,
            created_at=_dt(created),
            updated_at=_dt(created + (2 * cycles + 4) * 3600),
        )
        ticket.status_changed_at = ticket.updated_at
        ticket.assigned_at = _dt(created + 2 * 3600)
        # In progress for months: flagged long ago, like the other long stays (TicketMaker.ticket).
        ticket.delay_flagged_at = ticket.escalated_at = ticket.updated_at + timedelta(seconds=FLAGGED_AFTER)
        ticket.escalation_level = 1
        steps = [(a, s, created + (k + 1) * 3600) for k, (a, s) in enumerate(_STARTED_PATH)]
        t = steps[-1][2]
        for _ in range(cycles):
            steps.append(("hold", Status.ON_HOLD, t + 1800))
            steps.append(("resume", Status.IN_PROGRESS, t + 3600))
            t += 3600
        Ticket.objects.bulk_create([ticket])
        maker = TicketMaker(world, rng, 1, created, 1)
        events, _, _ = maker.children(ticket, steps)
        comments = [
            Comment(ticket_id=ticket.pk, author_id=rng.choice([ticket.requester_id, assignee]),
                    body=rng.choice(COMMENTS), created_at=_dt(created + k * 3000))
            for k in range(cycles)
        ]
        TicketEvent.objects.bulk_create(events)
        Comment.objects.bulk_create(comments)
        summary.tickets += 1
        summary.events += len(events)
        summary.comments += len(comments)


def seed(*, tickets: int, stdout=None, rng_seed: int = 11, chunk: int = 5000, years: float = 3.0,
         long_history: bool = True) -> Summary:
    """Add ``tickets`` tickets (building the bench world first if needed); prints progress to ``stdout``."""
    out = stdout or sys.stdout
    rng = random.Random(rng_seed)
    summary = Summary()
    began = time.monotonic()
    with explicit_timestamps(Ticket, Comment, TicketEvent, Photo), transaction.atomic():
        world = load_world()
        if world is None:
            out.write(f"building the bench world for {tickets:,} tickets ...\n")
            world = build_world(tickets, rng, summary)
        else:
            # A second run adds tickets to the same world; vary the stream so it does not repeat.
            rng.seed(rng_seed + Ticket.objects.count())
        if long_history:
            _long_history(world, rng, summary)
    _write_photo_files()

    end = time.time() - 3600
    start = end - years * 365 * 86400
    maker = TicketMaker(world, rng, max(tickets, 1), start, end - start)
    done = 0
    with explicit_timestamps(Ticket, Comment, TicketEvent, Photo):
        while done < tickets:
            size = min(chunk, tickets - done)
            with transaction.atomic():
                built = [maker.ticket(i) for i in range(done, done + size)]
                saved = Ticket.objects.bulk_create([t for t, _ in built], batch_size=1000)
                _analyze_tickets()  # before COMMIT runs the children's foreign-key checks
                events, comments, photos = [], [], []
                for ticket, (_, steps) in zip(saved, built, strict=True):
                    e, c, p = maker.children(ticket, steps)
                    events += e
                    comments += c
                    photos += p
                TicketEvent.objects.bulk_create(events, batch_size=2000)
                Comment.objects.bulk_create(comments, batch_size=2000)
                Photo.objects.bulk_create(photos, batch_size=2000)
            done += size
            summary.tickets += size
            summary.events += len(events)
            summary.comments += len(comments)
            summary.photos += len(photos)
            elapsed = time.monotonic() - began
            rate = done / elapsed if elapsed else 0
            eta = (tickets - done) / rate if rate else 0
            out.write(f"  tickets {done:>10,}/{tickets:,} ({100 * done / tickets:5.1f} %)  "
                      f"{rate:8,.0f}/s  ETA {eta:6.0f} s\n")
            if hasattr(out, "flush"):
                out.flush()
    summary.seconds = round(time.monotonic() - began, 1)
    _analyze()
    return summary


def _analyze_tickets() -> None:
    """PostgreSQL: fresh statistics of the tickets table in each chunk. Each chunk's foreign-key
    checks (events, comments and photos point at tickets; Django's are deferred to COMMIT) run
    through plans cached per connection, and the first was made when the table held the three
    long-history tickets: a sequential scan per check, every ticket read for every row, so each
    chunk took longer than the last (50,000 tickets: 301,331 scans, 7.5 billion rows read, 139/s
    and falling). ANALYZE, run inside the chunk's transaction once its tickets are in (it counts
    them), invalidates those plans: the checks at COMMIT are planned again, as index lookups."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket")


def _analyze() -> None:
    """Refresh the planner's statistics: a freshly bulk-loaded table otherwise gets poor plans."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
