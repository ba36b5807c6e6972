"""Code roles: test, development, demo and fake-data code found by what it contains and imports."""

from __future__ import annotations

from analyzer.design.roles.assign import assign_roles
from analyzer.model.facts import FileFacts
from tests.helpers import facts_of

TEST_HELPERS = """
    from django.test import TestCase

    from forum.users.models import User


    class UserTestCase(TestCase):
        def setUp(self):
            self.user = User.objects.create(name="bob")

        def login(self):
            self.client.force_login(self.user)


    class AdminTestCase(UserTestCase):
        def setUp(self):
            super().setUp()
            self.user.is_staff = True
"""
MODELS = """
    from django.db import models


    class User(models.Model):
        name = models.CharField(max_length=10)


    class Thread(models.Model):
        title = models.CharField(max_length=10)
"""
VIEWS = """
    from forum.users.models import User


    def profile(request, pk):
        return User.objects.get(pk=pk)
"""


def roles_of(*files: FileFacts) -> dict[str, str]:
    return {s.module: s.role for s in assign_roles(files).set_aside}


def reasons_of(*files: FileFacts) -> dict[str, str]:
    return {s.module: s.reason for s in assign_roles(files).set_aside}


def test_a_module_whose_code_mostly_uses_a_test_framework_is_test_code() -> None:
    files = (
        facts_of(MODELS, "forum.users.models"),
        facts_of(VIEWS, "forum.users.views"),
        facts_of(TEST_HELPERS, "forum.users.helpers"),
    )
    assert roles_of(*files) == {"forum.users.helpers": "test"}
    assert reasons_of(*files)["forum.users.helpers"] == (
        "most of its code uses django.test.TestCase"
    )


def test_a_packaging_script_is_dev_code_and_product_code_using_setuptools_is_not() -> None:
    setup_script = """
        from setuptools import find_packages, setup

        packages = find_packages(exclude=["tests"])
        setup(name="forum", version="1.0", packages=packages)
    """
    plugins = """
        import setuptools

        from forum.users.models import User


        def discover(path):
            return setuptools.find_packages(path)


        def owners(names):
            found = [User.objects.get(name=n) for n in names]
            return {user.name: user for user in found if user.name}


        def active(names):
            return [user for user in owners(names).values() if user.name]
    """
    files = (
        facts_of(MODELS, "forum.users.models"),
        facts_of(plugins, "forum.plugins"),
        facts_of(setup_script, "setup"),
    )
    assert roles_of(*files) == {"setup": "dev"}
    assert reasons_of(*files)["setup"] == (
        "most of its code uses setuptools.find_packages, setuptools.setup"
    )


def test_product_code_borrowing_from_test_modules_stays_product_code() -> None:
    replay = """
        from django.test import RequestFactory
        from unittest import mock


        def replay(path):
            request = RequestFactory().get(path)
            with mock.patch("time.sleep"):
                return request
    """
    template_tag = """
        import unittest

        from django import template

        register = template.Library()


        class IfNode(template.Node):
            def __init__(self, nodelist_true, nodelist_false, var):
                self.nodelist_true = nodelist_true
                self.nodelist_false = nodelist_false
                self.var = var

            def render(self, context):
                if self.var.resolve(context):
                    return self.nodelist_true.render(context)
                return self.nodelist_false.render(context)


        @register.tag
        def smart_if(parser, token):
            bits = token.split_contents()[1:]
            nodelist_true = parser.parse(("else", "endif"))
            return IfNode(nodelist_true, None, bits)


        class IfTests(unittest.TestCase):
            def test_true(self):
                self.assertTrue(True)
    """
    files = (
        facts_of(replay, "shop.tasks.replay"),
        facts_of(template_tag, "shop.core.templatetags.smart_if"),
    )
    assert roles_of(*files) == {}


def test_modules_and_packages_named_as_test_code_are_test_code_unless_product_code_uses_them() -> (
    None
):
    files = (
        facts_of(MODELS, "forum.users.models"),
        facts_of("from forum.users.models import User\n", "forum.threads.test"),
        facts_of("", "forum.testutils", is_package=True),
        facts_of("DEBUG_FLAGS = {}\n", "forum.testutils.middleware"),
        facts_of("def snapshot(): ...\n", "forum.testutils.snapshots"),
        facts_of("from forum.testutils.middleware import DEBUG_FLAGS\n", "forum.users.views"),
    )
    assert roles_of(*files) == {
        "forum.threads.test": "test",
        "forum.testutils": "test",
        "forum.testutils.snapshots": "test",
    }
    assert reasons_of(*files)["forum.threads.test"] == "its name says test code"


def test_a_demo_or_dev_project_is_recognised_by_its_name_and_its_shape() -> None:
    demo = (
        facts_of("", "shop.demo", is_package=True),
        facts_of(
            "from shop.settings import *\nROOT_URLCONF = 'shop.demo.urls'\n", "shop.demo.settings"
        ),
        facts_of("from shop.demo.views import home\nurlpatterns = [home]\n", "shop.demo.urls"),
        facts_of("def home(request): ...\n", "shop.demo.views"),
    )
    # A package called "examples" that is no project: example code of the product itself.
    examples = (
        facts_of("", "shop.examples", is_package=True),
        facts_of("def price_example(): ...\n", "shop.examples.prices"),
    )
    product = (
        facts_of("INSTALLED_APPS = ['shop.orders']\n", "shop.settings"),
        facts_of("from shop.examples.prices import price_example\n", "shop.orders.views"),
    )
    roles = roles_of(*demo, *examples, *product)
    assert roles == {f.module: "demo" for f in demo}
    assert reasons_of(*demo, *product)["shop.demo.views"] == (
        "part of shop.demo, a demo project (named so, with settings or URLs)"
    )
    # The top-level package is never taken for a project by its name alone: here it is the
    # product, and a devproject beside a product is not.
    dev = (
        facts_of("", "devproject", is_package=True),
        facts_of("DEBUG = True\nINSTALLED_APPS = ['forum']\n", "devproject.settings"),
        facts_of("urlpatterns = []\n", "devproject.urls"),
    )
    assert roles_of(*dev) == {}
    assert roles_of(*dev, facts_of("import os\n", "manage")) == {}
    assert roles_of(*dev, facts_of(MODELS, "forum.users.models")) == {
        "devproject": "dev",
        "devproject.settings": "dev",
        "devproject.urls": "dev",
    }


CLEARDB = """
    from django.core.management.base import BaseCommand

    from shop.orders.models import Order, OrderLine
    from shop.payments.models import Payment
    from shop.users.models import User


    class Command(BaseCommand):
        def handle(self, **options):
            OrderLine.objects.all().delete()
            Order.objects.all().delete()
            Payment.objects.all().delete()
            User.objects.filter(is_staff=False).delete()
            self.stdout.write("Removed everything")
"""
FIX_TOTALS = """
    from shop.orders.models import Order

    Order.objects.filter(total=None).update(total=0)
"""
CLEAR_OLD = """
    from django.core.management.base import BaseCommand

    from shop.orders.models import Order


    class Command(BaseCommand):
        def handle(self, **options):
            queryset = Order.objects.filter(created__lt=cutoff())
            queryset.delete()
"""


def test_a_command_that_only_empties_whole_tables_is_dev_code_and_a_cleanup_job_is_not() -> None:
    cleardb = facts_of(CLEARDB, "shop.core.management.commands.cleardb")
    clear_old = facts_of(CLEAR_OLD, "shop.orders.management.commands.clearoldorders")
    resets = facts_of(
        CLEARDB.replace(
            'self.stdout.write("Removed everything")', 'Order.objects.create(number="1")'
        ),
        "shop.core.management.commands.reset",
    )
    roles = assign_roles((cleardb, clear_old, resets))
    assert {s.module: (s.role, s.reason) for s in roles.set_aside} == {
        "shop.core.management.commands.cleardb": (
            "dev",
            "a management command that only empties 3 tables whole",
        )
    }
    # Commands that stay are peripheral: their writes do not decide who owns a table. So are
    # scripts (a one-off data fix).
    assert roles.peripheral == {
        "shop.orders.management.commands.clearoldorders",
        "shop.core.management.commands.reset",
        "shop.core.management.commands.cleardb",
    }
    fix = facts_of(FIX_TOTALS, "scripts.fix_totals")
    assert "scripts.fix_totals" in assign_roles((cleardb, clear_old, fix)).peripheral


FAKE_DATA = """
    import random

    from faker import Factory

    from shop.orders.models import Order

    fake = Factory.create()


    def create_orders(count):
        for _ in range(count):
            yield Order.objects.create(number=random.randint(1, 100))


    def fake_address():
        return fake.address()
"""
POPULATEDB = """
    from django.core.management.base import BaseCommand

    from shop.core.random_data import create_orders


    class Command(BaseCommand):
        def handle(self, **options):
            for order in create_orders(20):
                self.stdout.write(str(order))
"""


def test_a_command_filling_the_database_with_made_up_rows_is_fake_data_code() -> None:
    generator = facts_of(FAKE_DATA, "shop.core.random_data")
    command = facts_of(POPULATEDB, "shop.core.management.commands.populatedb")
    roles = assign_roles((generator, command, facts_of(MODELS, "shop.orders.models")))
    assert {s.module: (s.role, s.reason) for s in roles.set_aside} == {
        "shop.core.management.commands.populatedb": (
            "fake-data",
            "a management command making up data with shop.core.random_data",
        ),
        "shop.core.random_data": ("fake-data", "its code uses faker.Factory"),
    }


def test_what_product_code_uses_stays_product_code_and_does_not_decide_owners() -> None:
    generator = facts_of(FAKE_DATA, "shop.core.random_data")
    command = facts_of(POPULATEDB, "shop.core.management.commands.populatedb")
    payloads = facts_of(
        "from shop.core.random_data import fake_address\n\n\ndef sample(): return fake_address()\n",
        "shop.webhooks.payloads",
    )
    roles = assign_roles((generator, command, payloads))
    assert [s.module for s in roles.set_aside] == ["shop.core.management.commands.populatedb"]
    assert roles.peripheral == {
        "shop.core.random_data",
        "shop.core.management.commands.populatedb",
    }


FAKER_COMMAND = """
    from django.core.management.base import BaseCommand
    from faker import Factory

    from forum.faker.threads import fake_thread


    class Command(BaseCommand):
        def handle(self, *args, **options):
            fake = Factory.create()
            for _ in range(options["count"]):
                fake_thread(fake)
"""
FOLLOWERS_COMMAND = """
    import random

    from django.core.management.base import BaseCommand

    from forum.users.models import User


    class Command(BaseCommand):
        def handle(self, *args, **options):
            for user in User.objects.all():
                user.follows.add(random.choice(User.objects.all()))
"""


def _faker_app(*extra: FileFacts) -> tuple[FileFacts, ...]:
    return (
        facts_of(MODELS, "forum.users.models"),
        facts_of("", "forum.faker", is_package=True),
        facts_of(
            "from django.apps import AppConfig\n\nclass FakerConfig(AppConfig): ...\n",
            "forum.faker.apps",
        ),
        facts_of(
            "from forum.users.models import Thread\n\ndef fake_thread(fake): ...\n",
            "forum.faker.threads",
        ),
        facts_of("", "forum.faker.management", is_package=True),
        facts_of("", "forum.faker.management.commands", is_package=True),
        facts_of(FAKER_COMMAND, "forum.faker.management.commands.createfakethreads"),
        facts_of(FAKER_COMMAND, "forum.faker.management.commands.createfakeposts"),
        facts_of(FOLLOWERS_COMMAND, "forum.faker.management.commands.createfakefollowers"),
        *extra,
    )


def test_an_app_that_is_mostly_fake_data_code_is_fake_data_code_whole() -> None:
    roles = roles_of(*_faker_app())
    assert roles == {
        "forum.faker": "fake-data",
        "forum.faker.apps": "fake-data",
        "forum.faker.threads": "fake-data",
        "forum.faker.management": "fake-data",
        "forum.faker.management.commands": "fake-data",
        "forum.faker.management.commands.createfakethreads": "fake-data",
        "forum.faker.management.commands.createfakeposts": "fake-data",
        "forum.faker.management.commands.createfakefollowers": "fake-data",
    }
    reasons = reasons_of(*_faker_app())
    assert reasons["forum.faker.threads"] == (
        "only fake-data code uses it (forum.faker.management.commands.createfakeposts)"
    )
    assert reasons["forum.faker.apps"] == "part of forum.faker, mostly fake-data code"


def test_a_package_is_not_taken_whole_when_product_code_uses_it_or_it_is_no_app() -> None:
    used = facts_of("from forum.faker.threads import fake_thread\n", "forum.threads.views")
    roles = roles_of(*_faker_app(used))
    assert roles == {
        "forum.faker.management.commands.createfakethreads": "fake-data",
        "forum.faker.management.commands.createfakeposts": "fake-data",
    }
    # Without an app config, commands are separate programs: two seeding commands do not make
    # the third one beside them fake-data code.
    without_app = [f for f in _faker_app() if f.module != "forum.faker.apps"]
    assert "forum.faker.management.commands.createfakefollowers" not in roles_of(*without_app)


def test_code_of_another_app_used_only_by_fake_data_code_stays() -> None:
    # Only the fake-data app uses the users' models here: they are still the users' models.
    assert "forum.users.models" not in roles_of(*_faker_app())
    shared_helper = facts_of("def slugify(text): ...\n", "forum.core.text")
    command = facts_of(
        FAKER_COMMAND.replace(
            "from forum.faker.threads import fake_thread",
            "from forum.core.text import slugify\n    from forum.faker.threads import fake_thread",
        ),
        "forum.faker.management.commands.createfakethreads",
    )
    files = [f for f in _faker_app() if f.module != command.module]
    assert "forum.core.text" not in roles_of(*files, command, shared_helper)


def test_imports_for_type_checking_only_are_no_use() -> None:
    typed = facts_of(
        """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from forum.threads.test import ThreadFactory


        def count(factory: "ThreadFactory") -> int:
            return 1
        """,
        "forum.threads.views",
    )
    helper = facts_of("def post_thread(): ...\n", "forum.threads.test")
    assert roles_of(typed, helper) == {"forum.threads.test": "test"}


def test_nothing_is_set_aside_when_everything_would_be() -> None:
    assert roles_of(facts_of(TEST_HELPERS, "forum.helpers"), facts_of("", "forum.test")) == {}


def test_a_default_configuration_only_a_test_configuration_imports_stays() -> None:
    # The application loads its configuration by name; only the test configuration imports it.
    default = facts_of(
        """
        class DefaultConfig(object):
            DEBUG = False
            SQLALCHEMY_DATABASE_URI = "sqlite://"
        """,
        "board.configs.default",
    )
    testing = facts_of(
        """
        from board.configs.default import DefaultConfig


        class TestingConfig(DefaultConfig):
            TESTING = True
        """,
        "board.configs.testing",
    )
    app = facts_of(
        """
        from flask import Flask


        def create_app():
            app = Flask("board")
            app.config.from_object("board.configs.default.DefaultConfig")
            return app
        """,
        "board.app",
    )
    helper = facts_of("def make_user(): ...\n", "board.users.fixtures")
    user = facts_of("from board.users.fixtures import make_user\n", "board.users.test")
    roles = roles_of(default, testing, app, helper, user)
    assert roles == {
        "board.configs.testing": "test",
        "board.users.test": "test",
        "board.users.fixtures": "test",
    }
