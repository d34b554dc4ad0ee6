_MODELS: dict[str, str]
