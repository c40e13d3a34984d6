from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "config.bench"
    label = "bench"
    verbose_name = "Benchmark"
