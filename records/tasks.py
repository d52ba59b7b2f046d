from celery import shared_task

from records import jobs


@shared_task(name="records.tasks.outbox_drain", ignore_result=True)
def outbox_drain() -> int:
    return jobs.outbox_drain()
