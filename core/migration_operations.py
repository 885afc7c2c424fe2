"""A migration operation Django lacks: a page type's parent moves to another app.

When ``ContentPage`` moved from ``portal`` to ``core`` (issue 11), every page
type built on it (a blog post, an expert article, an experience story) had to
follow in the migration state: both its base class and its parent link. Django
can change a field but not a model's bases, and changing either alone leaves a
state that cannot be rendered. This operation changes both at once, in the state
only: the database already holds the link, to the renamed table.
"""

from django.db.migrations.operations.base import Operation


class MoveParent(Operation):
    """Point model ``name``'s parent link ``field_name`` and its bases at the moved parent."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, name, bases, field_name, field):
        self.name = name
        self.bases = tuple(bases)
        self.field_name = field_name
        self.field = field

    def deconstruct(self):
        kwargs = {
            "name": self.name,
            "bases": self.bases,
            "field_name": self.field_name,
            "field": self.field,
        }
        return (self.__class__.__name__, [], kwargs)

    def state_forwards(self, app_label, state):
        model_key = (app_label, self.name.lower())
        model_state = state.models[model_key]
        # As ProjectState.alter_field: forget the old parent's relation, then record the new.
        old_field = model_state.fields.pop(self.field_name)
        if state._relations is not None:
            state.resolve_model_field_relations(model_key, self.field_name, old_field)
        model_state.bases = self.bases
        model_state.fields[self.field_name] = self.field
        if state._relations is not None:
            state.resolve_model_field_relations(model_key, self.field_name, self.field)
        state.reload_model(*model_key, delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        """Nothing: the parent's table was renamed in place and the link follows it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Nothing, as forwards."""

    def describe(self):
        return f"Move the parent of {self.name} to {self.bases[0]}"

    @property
    def migration_name_fragment(self):
        return f"move_parent_{self.name.lower()}"
