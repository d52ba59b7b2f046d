from celery import shared_task

from licensing.services import batches


@shared_task(name="licensing.tasks.batches_run", ignore_result=True)
def batches_run() -> int:
    return batches.batches_run()
