from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The report reader marks ?hl= terms read with the search query syntax; reports/ sits a
        # floor below search/ and cannot import it, so the parser is handed down here.
        from reports.presentation import register_term_parser
        from search.querysyntax import parse_query

        register_term_parser(lambda text: parse_query(text).terms)
