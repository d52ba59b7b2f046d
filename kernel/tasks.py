from celery import shared_task

from kernel import jobs


@shared_task(name="kernel.tasks.outbox_drain", ignore_result=True)
def outbox_drain() -> int:
    return jobs.outbox_drain()
