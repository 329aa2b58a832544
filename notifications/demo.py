"""Demo data: a few conversations and notifications for the demo users. Idempotent."""

from accounts.demo import demo_user
from accounts.models import Role
from notifications import services
from notifications.models import Event, Message

CONVERSATIONS = [
    (Role.CUSTOMER, Role.ADMIN, "Hello, the lift on the second floor is making a grinding noise again."),
    (Role.ADMIN, Role.CUSTOMER, "Thanks Colin, we have logged it and will send someone this week."),
    (Role.TECHNICIAN, Role.ADMIN, "The van's tail lift is faulty; I am taking the small van today."),
]


def seed(stdout) -> None:
    people = {role: demo_user(role) for role in Role}
    if any(p is None for p in people.values()):
        stdout.write("  notifications: demo users missing, skipped")
        return
    if Message.objects.filter(sender=people[Role.CUSTOMER], recipient=people[Role.ADMIN]).exists():
        return
    for sender, recipient, body in CONVERSATIONS:
        services.message_send(actor=people[sender], recipient=people[recipient], body=body)
    # Notifications about the demo tickets, when the tickets demo made some.
    from tickets.models import Ticket

    made = 0
    for ticket in Ticket.objects.filter(requester=people[Role.CUSTOMER], deleted_at__isnull=True).select_related(
        "requester", "assignee"
    )[:3]:
        if ticket.assignee_id:
            made += len(services.notify(event=Event.ASSIGNED, actor=people[Role.ADMIN], ticket=ticket))
        else:
            made += len(services.notify(event=Event.CREATED, actor=people[Role.CUSTOMER], ticket=ticket))
    if not made:  # no demo tickets yet: a first notification so the bell is not empty
        services.notify(event=Event.MESSAGE, actor=people[Role.ADMIN], recipient=people[Role.TECHNICIAN],
                        extra={"text": "Welcome to Fixdesk. Your jobs appear under Jobs."})
    stdout.write(f"  notifications: {len(CONVERSATIONS)} messages and their notifications")
